/**
 * Back-pressure on the real broker: while the handler fails (the sink is down) the consumer keeps
 * offering the same uncommitted chunk, and nothing else, with every partition paused; once the
 * handler succeeds, consumption resumes and every record is handled exactly once (no crash, so no
 * redelivery of committed work). With several partitions handled at once (the default), each
 * offers its own failing chunk again and again and never its next one, also while the others have
 * recovered.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsumedBatch, Subscription } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { SinkRejectedError } from '../../src/core/errors.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));

/** What the handler throws while "ClickHouse is down". */
const sinkDown = (): Promise<never> => Promise.reject(new SinkRejectedError('ClickHouse is down.', { retriable: true, code: 'SINK_DOWN' }));

/** Counts each record of a handled chunk (a record seen twice would count 2). */
function countHandled(handled: Map<string, number>, batch: ConsumedBatch): Promise<void> {
  for (const r of batch.records) handled.set(r.value.toString(), (handled.get(r.value.toString()) ?? 0) + 1);
  return Promise.resolve();
}

async function publishNumbers(bus: KafkaBus, topic: string, n: number): Promise<void> {
  await bus.ensureTopics([{ name: topic, partitions: 3 }]);
  await bus.publish(
    topic,
    Array.from({ length: n }, (_, i) => ({ key: `k${i % 17}`, value: Buffer.from(String(i)) })),
  );
}

describe.runIf(kafkaAvailable(FILE))('Kafka back-pressure while the sink is down', () => {
  const buses: KafkaBus[] = [];
  const subs: Subscription[] = [];

  const connect = async (clientId: string, partitionsConsumedConcurrently: number): Promise<KafkaBus> => {
    const bus = new KafkaBus(
      KafkaBusConfigSchema.parse({
        brokers: KAFKA_BROKERS,
        clientId,
        consumer: { retryInitialDelayMs: 20, retryMaxDelayMs: 100, heartbeatIntervalMs: 1000, sessionTimeoutMs: 10_000, partitionsConsumedConcurrently },
      }),
    );
    buses.push(bus);
    await bus.connect();
    return bus;
  };

  afterAll(async () => {
    for (const sub of subs) await sub.stop();
    for (const bus of buses) await bus.close();
  });

  it('one partition at a time: retries only the failing chunk, then handles every record once', async () => {
    const bus = await connect('voc-it-backpressure', 1);
    const topic = randomName('voc.it.bp');
    const group = randomName('g.bp');
    const n = 3000;
    await publishNumbers(bus, topic, n);

    const failedChunks = new Set<string>();
    let failures = 0;
    const errors: unknown[] = [];
    const handled = new Map<string, number>();
    subs.push(
      await bus.subscribe({
        topics: [topic],
        group,
        maxBatchRecords: 100,
        handler: (batch) => {
          if (failures < 25) {
            failures++;
            failedChunks.add(`${batch.partition}/${batch.records[0]?.offset}/${batch.records.length}`);
            return sinkDown();
          }
          return countHandled(handled, batch);
        },
        onHandlerError: (err) => errors.push(err),
      }),
    );

    await waitFor(() => handled.size === n, 90_000, 'every record handled');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
    expect(failures).toBe(25);
    expect(errors).toHaveLength(25);
    expect(errors.every((e) => e instanceof SinkRejectedError)).toBe(true);
    // While failing, the consumer offered one chunk again and again, never the next ones.
    expect(failedChunks.size).toBe(1);
    expect([...handled.values()].every((c) => c === 1)).toBe(true);
  });

  it('partitions at once: each retries its own chunk, also after the others recovered', async () => {
    const bus = await connect('voc-it-backpressure-concurrent', 3);
    const topic = randomName('voc.it.bpc');
    const group = randomName('g.bpc');
    const n = 3000;
    await publishNumbers(bus, topic, n);

    // The sink is "down" for a while; partition 0's chunk keeps failing longer than the others'.
    let down = true;
    let partition0Down = true;
    const failedChunks = new Map<number, Set<string>>();
    const handledWhileDown: string[] = [];
    const handled = new Map<string, number>();
    subs.push(
      await bus.subscribe({
        topics: [topic],
        group,
        maxBatchRecords: 100,
        handler: (batch) => {
          if (down || (batch.partition === 0 && partition0Down)) {
            let set = failedChunks.get(batch.partition);
            if (!set) failedChunks.set(batch.partition, (set = new Set()));
            set.add(`${batch.records[0]?.offset}/${batch.records.length}`);
            return sinkDown();
          }
          if (partition0Down) handledWhileDown.push(`${batch.partition}/${batch.records[0]?.offset}`);
          return countHandled(handled, batch);
        },
      }),
    );

    // All three partitions' first chunks are failing at once.
    await waitFor(() => failedChunks.size === 3, 60_000, 'a failing chunk on every partition');
    down = false;
    // Partitions 1 and 2 recover and finish their current chunk; partition 0 still fails.
    await waitFor(() => handledWhileDown.length >= 2, 30_000, 'partitions 1 and 2 to recover');
    await new Promise((r) => setTimeout(r, 1000));
    // Partition 0 is still failing: it offered nothing past its failing chunk.
    expect(handled.size).toBeLessThan(n);
    partition0Down = false;

    await waitFor(() => handled.size === n, 90_000, 'every record handled');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
    // Each partition offered one chunk while failing, never the next ones of that partition.
    for (const [, set] of failedChunks) expect(set.size).toBe(1);
    expect([...handled.values()].every((c) => c === 1)).toBe(true);
  });
});
