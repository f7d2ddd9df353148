import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, BusRecord, ConsumedRecord, Subscription } from '../../src/bus/bus.js';

/**
 * One conformance suite for every Bus (../shared/STYLE.md): the memory bus runs it as a unit test,
 * the Kafka bus against the real broker. `makeBus` returns a connected-able, fresh bus.
 */
export interface BusContractOptions {
  /** Partitions to create per test topic. */
  partitions?: number;
  /** How long to wait for deliveries (a real broker needs a group rebalance first). */
  timeoutMs?: number;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}

function records(n: number, keys = 7): BusRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `k${i % keys}`,
    value: Buffer.from(JSON.stringify({ i })),
    headers: { seq: String(i) },
  }));
}

const seqOf = (r: ConsumedRecord): number => (JSON.parse(r.value.toString()) as { i: number }).i;

export function runBusContract(name: string, makeBus: () => Promise<Bus>, options: BusContractOptions = {}): void {
  const partitions = options.partitions ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;

  describe(`Bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const subs: Subscription[] = [];
    const fresh = async (): Promise<Bus> => {
      const bus = await makeBus();
      open.push(bus);
      await bus.connect();
      return bus;
    };
    const topicName = (): string => `voc.test.${randomUUID().slice(0, 8)}`;

    afterEach(async () => {
      for (const s of subs.splice(0)) await s.stop();
      for (const b of open.splice(0)) await b.close();
    });

    it('connects, reports healthy, and closes', async () => {
      const bus = await fresh();
      await expect(bus.healthcheck()).resolves.toMatchObject({ ok: true });
      await bus.close();
      open.pop();
      const health = await bus.healthcheck();
      expect(health.ok).toBe(false);
    });

    it('delivers every published record to a group, in key order, and lag reaches zero', async () => {
      const bus = await fresh();
      const topic = topicName();
      const group = `g-${randomUUID()}`;
      await bus.ensureTopics([{ name: topic, partitions }]);
      await bus.publish(topic, records(200));
      const seen: ConsumedRecord[] = [];
      subs.push(
        await bus.subscribe({
          topics: [topic],
          group,
          maxBatchRecords: 50,
          handler: (batch) => {
            seen.push(...batch.records);
            return Promise.resolve();
          },
        }),
      );
      await waitFor(() => seen.length >= 200, timeoutMs, '200 deliveries');
      await waitFor(async () => (await bus.lag(group, topic)) === 0, timeoutMs, 'lag 0');
      expect(new Set(seen.map(seqOf)).size).toBe(200);
      // Within one key, records arrive in publish order.
      const byKey = new Map<string, number[]>();
      for (const r of seen) byKey.set(r.key, [...(byKey.get(r.key) ?? []), seqOf(r)]);
      for (const seqs of byKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seen[0]?.headers?.seq).toBeDefined();
    });

    it('redelivers a batch whose handler failed (commit only after the handler resolves)', async () => {
      const bus = await fresh();
      const topic = topicName();
      const group = `g-${randomUUID()}`;
      await bus.ensureTopics([{ name: topic, partitions }]);
      await bus.publish(topic, records(60));
      const done = new Set<number>();
      let failures = 0;
      subs.push(
        await bus.subscribe({
          topics: [topic],
          group,
          maxBatchRecords: 10,
          handler: (batch) => {
            if (failures < 3) {
              failures++;
              return Promise.reject(new Error('sink down'));
            }
            for (const r of batch.records) done.add(seqOf(r));
            return Promise.resolve();
          },
        }),
      );
      await waitFor(() => done.size === 60, timeoutMs, 'all 60 after failures');
      expect(failures).toBe(3);
      await waitFor(async () => (await bus.lag(group, topic)) === 0, timeoutMs, 'lag 0');
    });

    it('resumes a group from its committed offsets after stop (no loss, no re-read of committed work)', async () => {
      const bus = await fresh();
      const topic = topicName();
      const group = `g-${randomUUID()}`;
      await bus.ensureTopics([{ name: topic, partitions }]);
      await bus.publish(topic, records(100));
      const first: number[] = [];
      const sub = await bus.subscribe({
        topics: [topic],
        group,
        handler: (batch) => {
          first.push(...batch.records.map(seqOf));
          return Promise.resolve();
        },
      });
      await waitFor(() => first.length >= 100, timeoutMs, 'first pass');
      await waitFor(async () => (await bus.lag(group, topic)) === 0, timeoutMs, 'first lag 0');
      await sub.stop();

      await bus.publish(topic, records(150).slice(100));
      const second: number[] = [];
      subs.push(
        await bus.subscribe({
          topics: [topic],
          group,
          handler: (batch) => {
            second.push(...batch.records.map(seqOf));
            return Promise.resolve();
          },
        }),
      );
      await waitFor(() => second.length >= 50, timeoutMs, 'second pass');
      await waitFor(async () => (await bus.lag(group, topic)) === 0, timeoutMs, 'second lag 0');
      expect(new Set(second)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => 100 + i)));
    });

    it('gives every group its own copy of the stream', async () => {
      const bus = await fresh();
      const topic = topicName();
      await bus.ensureTopics([{ name: topic, partitions }]);
      await bus.publish(topic, records(30));
      const counts = [0, 0];
      for (const g of [0, 1]) {
        subs.push(
          await bus.subscribe({
            topics: [topic],
            group: `g${g}-${randomUUID()}`,
            handler: (batch) => {
              counts[g] = (counts[g] as number) + batch.records.length;
              return Promise.resolve();
            },
          }),
        );
      }
      await waitFor(() => counts[0] === 30 && counts[1] === 30, timeoutMs, 'both groups');
    });

    it('reports lag for records not yet consumed', async () => {
      const bus = await fresh();
      const topic = topicName();
      const group = `g-${randomUUID()}`;
      await bus.ensureTopics([{ name: topic, partitions }]);
      await bus.publish(topic, records(25));
      await waitFor(async () => (await bus.lag(group, topic)) === 25, timeoutMs, 'lag 25');
    });
  });
}
