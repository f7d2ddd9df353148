/**
 * Back-pressure on the real broker: while the handler fails (the sink is down) the consumer keeps
 * offering the same uncommitted chunk, and nothing else, with every partition paused; once the
 * handler succeeds, consumption resumes and every record is handled exactly once (no crash, so no
 * redelivery of committed work).
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { SinkRejectedError } from '../../src/core/errors.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));

describe.runIf(kafkaAvailable(FILE))('Kafka back-pressure while the sink is down', () => {
  let bus: KafkaBus;
  let sub: Subscription | undefined;

  beforeAll(async () => {
    bus = new KafkaBus(
      KafkaBusConfigSchema.parse({
        brokers: KAFKA_BROKERS,
        clientId: 'voc-it-backpressure',
        consumer: { retryInitialDelayMs: 20, retryMaxDelayMs: 100, heartbeatIntervalMs: 1000, sessionTimeoutMs: 10_000 },
      }),
    );
    await bus.connect();
  });

  afterAll(async () => {
    await sub?.stop();
    await bus.close();
  });

  it('retries only the failing chunk, then handles every record once', async () => {
    const topic = randomName('voc.it.bp');
    const group = randomName('g.bp');
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const n = 3000;
    await bus.publish(
      topic,
      Array.from({ length: n }, (_, i) => ({ key: `k${i % 17}`, value: Buffer.from(String(i)) })),
    );

    const failedChunks = new Set<string>();
    let failures = 0;
    const errors: unknown[] = [];
    const handled = new Map<string, number>();
    sub = await bus.subscribe({
      topics: [topic],
      group,
      maxBatchRecords: 100,
      handler: (batch) => {
        if (failures < 25) {
          failures++;
          failedChunks.add(`${batch.partition}/${batch.records[0]?.offset}/${batch.records.length}`);
          return Promise.reject(new SinkRejectedError('ClickHouse is down.', { retriable: true, code: 'SINK_DOWN' }));
        }
        for (const r of batch.records) handled.set(r.value.toString(), (handled.get(r.value.toString()) ?? 0) + 1);
        return Promise.resolve();
      },
      onHandlerError: (err) => errors.push(err),
    });

    await waitFor(() => handled.size === n, 90_000, 'every record handled');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
    expect(failures).toBe(25);
    expect(errors).toHaveLength(25);
    expect(errors.every((e) => e instanceof SinkRejectedError)).toBe(true);
    // While failing, the consumer offered one chunk again and again, never the next ones.
    expect(failedChunks.size).toBe(1);
    expect([...handled.values()].every((c) => c === 1)).toBe(true);
  });
});
