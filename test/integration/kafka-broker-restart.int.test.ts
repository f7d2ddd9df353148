/**
 * The broker restarts mid-stream (scripts/services.sh restart kafka, or VOC_KAFKA_RESTART_COMMAND):
 * the producer's publishes wait and retry, the consumer group reconnects, and every record
 * published arrives (at-least-once: duplicates are allowed, losses are not).
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { sh } from './helpers/kafka-processes.js';
import { KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));
const RESTART = process.env.VOC_KAFKA_RESTART_COMMAND ?? `${SCRIPT} restart kafka`;

describe.runIf(kafkaAvailable(FILE))('Kafka broker restart mid-stream', () => {
  let producerBus: KafkaBus;
  let consumerBus: KafkaBus;
  let sub: Subscription | undefined;

  beforeAll(async () => {
    const config = (clientId: string) =>
      KafkaBusConfigSchema.parse({ brokers: KAFKA_BROKERS, clientId, retries: 10, retryMaxDelayMs: 2000, producer: { maxAttempts: 30 } });
    producerBus = new KafkaBus(config('voc-it-restart-producer'));
    consumerBus = new KafkaBus(config('voc-it-restart-consumer'));
    await producerBus.connect();
    await consumerBus.connect();
  });

  afterAll(async () => {
    await sub?.stop();
    await consumerBus.close();
    await producerBus.close();
  });

  it('producer and consumer recover and every record arrives', async () => {
    const topic = randomName('voc.it.restart');
    const group = randomName('g.restart');
    await producerBus.ensureTopics([{ name: topic, partitions: 3 }]);
    const seen = new Set<string>();
    sub = await consumerBus.subscribe({
      topics: [topic],
      group,
      maxBatchRecords: 200,
      handler: (batch) => {
        for (const r of batch.records) seen.add((JSON.parse(r.value.toString('utf8')) as { id: string }).id);
        return Promise.resolve();
      },
    });

    const sent: string[] = [];
    let restart: Promise<void> | undefined;
    const batches = 30;
    for (let b = 0; b < batches; b++) {
      const ids = Array.from({ length: 100 }, () => randomUUID());
      await producerBus.publish(
        topic,
        ids.map((id) => ({ key: id.slice(0, 4), value: Buffer.from(JSON.stringify({ id })) })),
      );
      sent.push(...ids);
      if (b === 9) {
        await waitFor(() => seen.size > 0, 60_000, 'the consumer to start');
        restart = sh(RESTART);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await restart;
    expect(sent.length).toBe(batches * 100);
    await waitFor(() => sent.every((id) => seen.has(id)), 150_000, 'every published record after the restart');
    await waitFor(async () => (await consumerBus.lag(group, topic)) === 0, 60_000, 'lag 0');
    await expect(consumerBus.healthcheck()).resolves.toMatchObject({ ok: true });
  });
});
