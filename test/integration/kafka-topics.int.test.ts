/**
 * Topics and record limits on the real broker: the pipeline's topics are created once with their
 * partitions and retention (raw topics short), a record above the limit fails alone with a typed
 * error, a record the broker itself refuses maps to the same error, and a publish larger than one
 * request is split and arrives whole.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema, type KafkaBusConfigInput } from '../../src/bus/kafka/config.js';
import { pipelineTopics } from '../../src/bus/kafka/index.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { ValidationError } from '../../src/core/errors.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));

describe.runIf(kafkaAvailable(FILE))('Kafka topics and record limits', () => {
  const buses: KafkaBus[] = [];
  const subs: Subscription[] = [];
  const open = async (input: KafkaBusConfigInput = {}): Promise<KafkaBus> => {
    const bus = new KafkaBus(KafkaBusConfigSchema.parse({ brokers: KAFKA_BROKERS, clientId: 'voc-it-topics', ...input }));
    buses.push(bus);
    await bus.connect();
    return bus;
  };

  afterAll(async () => {
    for (const s of subs) await s.stop();
    for (const b of buses) await b.close();
  });

  it('creates the pipeline topics once, with partitions and retention from the config', async () => {
    const prefix = randomName('voc.it');
    const bus = await open({
      topics: { rawPrefix: `${prefix}.raw.`, deadLetters: `${prefix}.dlq`, enriched: `${prefix}.enriched` },
      partitions: 4,
      rawRetentionMs: 3_600_000,
      deadLetterRetentionMs: 7_200_000,
    });
    const topics = pipelineTopics(bus.config, ['hotline', 'social']);
    await bus.ensureTopics(topics);
    await bus.ensureTopics(topics);
    expect(await bus.describeTopic(`${prefix}.raw.hotline`)).toEqual({ partitions: 4, retentionMs: 3_600_000 });
    expect(await bus.describeTopic(`${prefix}.raw.social`)).toEqual({ partitions: 4, retentionMs: 3_600_000 });
    expect(await bus.describeTopic(`${prefix}.dlq`)).toEqual({ partitions: 4, retentionMs: 7_200_000 });
    expect((await bus.describeTopic(`${prefix}.enriched`)).retentionMs).toBe(bus.config.enrichedRetentionMs);
  });

  it('rejects a record above producer.maxRecordBytes alone; a publish in the same window still succeeds', async () => {
    const bus = await open({ producer: { maxRecordBytes: 10_000, lingerMs: 50 } });
    const topic = randomName('voc.it.large');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const big = bus.publish(topic, [{ key: 'big', value: randomBytes(20_000) }]);
    const small = bus.publish(topic, [{ key: 'small', value: Buffer.from('ok') }]);
    await expect(big).rejects.toBeInstanceOf(ValidationError);
    await expect(big).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE', retriable: false });
    await expect(small).resolves.toBeUndefined();
    expect(await bus.lag(`g-${topic}`, topic)).toBe(1);
  });

  it("maps the broker's own MESSAGE_TOO_LARGE to ValidationError RECORD_TOO_LARGE", async () => {
    // Limits above the broker's message.max.bytes (1 MiB): the broker is the one that refuses.
    const bus = await open({ producer: { maxRecordBytes: 3_000_000, maxBatchBytes: 4_000_000, compression: 'none' } });
    const topic = randomName('voc.it.broker-large');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const publish = bus.publish(topic, [{ key: 'k', value: randomBytes(2_000_000) }]);
    await expect(publish).rejects.toBeInstanceOf(ValidationError);
    await expect(publish).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE' });
  });

  it('splits a publish larger than one request and delivers every record', async () => {
    const bus = await open({ producer: { maxBatchBytes: 65_536, maxRecordBytes: 4096, compression: 'none' } });
    const topic = randomName('voc.it.split');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const records = Array.from({ length: 1500 }, (_, i) => ({ key: `k${i % 13}`, value: Buffer.concat([Buffer.from(`${i}:`), randomBytes(1000)]) }));
    await bus.publish(topic, records);
    const seen = new Set<string>();
    const group = randomName('g.split');
    subs.push(
      await bus.subscribe({
        topics: [topic],
        group,
        handler: (batch) => {
          for (const r of batch.records) seen.add(r.value.subarray(0, r.value.indexOf(':')).toString());
          return Promise.resolve();
        },
      }),
    );
    await waitFor(() => seen.size === 1500, 60_000, '1500 records');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
  });
});
