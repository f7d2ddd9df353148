/**
 * The Kafka bus across real processes on the real broker: a consumer SIGKILLed between the sink
 * write and the offset commit loses nothing (its batch is redelivered, and only that batch), and
 * two consumer processes in one group split the partitions and process everything once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { readSink, startWorker, type Worker } from './helpers/kafka-processes.js';
import { KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));

function events(n: number): { ids: string[]; records: BusRecord[] } {
  const ids = Array.from({ length: n }, () => randomUUID());
  return { ids, records: ids.map((id) => ({ key: id.slice(0, 6), value: Buffer.from(JSON.stringify({ id })) })) };
}

describe.runIf(kafkaAvailable(FILE))('Kafka bus across processes', () => {
  let bus: KafkaBus;
  let dir: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    bus = new KafkaBus(KafkaBusConfigSchema.parse({ brokers: KAFKA_BROKERS, clientId: 'voc-it-processes' }));
    await bus.connect();
    dir = mkdtempSync(join(tmpdir(), 'voc-kafka-it-'));
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) {
      if (w.child.exitCode === null && w.child.signalCode === null) {
        w.child.kill('SIGKILL');
        await w.exited;
      }
    }
  });

  afterAll(async () => {
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (topic: string, group: string, sink: string, extra: Record<string, string> = {}): Record<string, string> => ({
    VOC_KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    TOPIC: topic,
    GROUP: group,
    SINK_FILE: sink,
    ...extra,
  });

  it('a consumer SIGKILLed between sink write and commit loses nothing; only the uncommitted batch is redelivered', async () => {
    const topic = randomName('voc.it.kill');
    const group = randomName('g.kill');
    const sink = join(dir, `${randomUUID()}.jsonl`);
    const n = 2000;
    const { ids, records } = events(n);
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    await bus.publish(topic, records);

    const first = startWorker(env(topic, group, sink, { WORKER_ID: 'a', MAX_BATCH: '100', KILL_AFTER_BATCHES: '3' }));
    workers.push(first);
    const end = await first.exited;
    expect(end.signal).toBe('SIGKILL');

    const written = readSink(sink);
    const killedBatch = written.filter((l) => l.batch === 3);
    expect(killedBatch.length).toBeGreaterThan(0);
    // The third batch was written but never committed: the group is behind by at least its size.
    const lagAfterKill = await bus.lag(group, topic);
    expect(lagAfterKill).toBe(n - written.length + killedBatch.length);

    const second = startWorker(env(topic, group, sink, { WORKER_ID: 'b', MAX_BATCH: '100' }));
    workers.push(second);
    await second.ready;
    await waitFor(() => new Set(readSink(sink).map((l) => l.id)).size === n, 90_000, 'every id in the sink');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const lines = readSink(sink);
    // The sink dedupes by event id: the distinct ids are exactly the input, none lost, none invented.
    expect(new Set(lines.map((l) => l.id))).toEqual(new Set(ids));
    // What was seen twice is exactly the batch that was killed before its commit.
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l.id, (counts.get(l.id) ?? 0) + 1);
    const twice = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
    expect(new Set(twice)).toEqual(new Set(killedBatch.map((l) => l.id)));
    expect(Math.max(...counts.values())).toBe(2);
  });

  it('two consumer processes in one group split the partitions and together process everything once', async () => {
    const topic = randomName('voc.it.split');
    const group = randomName('g.split');
    const sink = join(dir, `${randomUUID()}.jsonl`);
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);

    const a = startWorker(env(topic, group, sink, { WORKER_ID: 'a' }));
    const b = startWorker(env(topic, group, sink, { WORKER_ID: 'b' }));
    workers.push(a, b);
    await Promise.all([a.ready, b.ready]);
    // Publish only once both members hold their partitions, so no rebalance happens mid-batch.
    await waitFor(
      async () => {
        const g = await bus.describeGroup(group);
        return g.state === 'Stable' && g.members.length === 2;
      },
      60_000,
      'a stable group of two',
    );

    const n = 4000;
    const { ids, records } = events(n);
    for (let i = 0; i < n; i += 500) await bus.publish(topic, records.slice(i, i + 500));
    await waitFor(() => new Set(readSink(sink).map((l) => l.id)).size === n, 90_000, 'every id in the sink');
    await waitFor(async () => (await bus.lag(group, topic)) === 0, 60_000, 'lag 0');
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);

    const lines = readSink(sink);
    expect(lines.length).toBe(n);
    expect(new Set(lines.map((l) => l.id))).toEqual(new Set(ids));
    const partitionsOf = (w: string): Set<number> => new Set(lines.filter((l) => l.worker === w).map((l) => l.partition));
    const pa = partitionsOf('a');
    const pb = partitionsOf('b');
    expect(pa.size).toBeGreaterThan(0);
    expect(pb.size).toBeGreaterThan(0);
    expect([...pa].filter((p) => pb.has(p))).toEqual([]);
    expect(pa.size + pb.size).toBe(4);
  });
});
