import { describe, expect, it } from 'vitest';
import { MemoryBus } from './memory.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('MemoryBus concurrency', () => {
  it('handles batches of different partitions at once, and one partition\'s batches in order, one at a time', async () => {
    const bus = new MemoryBus({ pollIntervalMs: 1 });
    await bus.connect();
    await bus.ensureTopics([{ name: 'a', partitions: 1 }, { name: 'b', partitions: 1 }, { name: 'c', partitions: 1 }]);
    for (const t of ['a', 'b', 'c']) await bus.publish(t, Array.from({ length: 20 }, (_, i) => ({ key: `${t}${i}`, value: Buffer.from(String(i)) })));
    const seen = new Map<string, number[]>();
    const active = new Set<string>();
    let maxActive = 0;
    let overlapSameTopic = false;
    const sub = await bus.subscribe({
      topics: ['a', 'b', 'c'],
      group: 'g',
      maxBatchRecords: 4,
      concurrency: 3,
      handler: async (batch) => {
        if (active.has(batch.topic)) overlapSameTopic = true;
        active.add(batch.topic);
        maxActive = Math.max(maxActive, active.size);
        await sleep(3);
        const list = seen.get(batch.topic) ?? [];
        for (const r of batch.records) list.push(Number(r.value.toString()));
        seen.set(batch.topic, list);
        active.delete(batch.topic);
      },
    });
    while ((await bus.lag('g', 'a')) + (await bus.lag('g', 'b')) + (await bus.lag('g', 'c')) > 0) await sleep(2);
    await sub.stop();
    await bus.close();
    expect(maxActive).toBeGreaterThan(1);
    expect(overlapSameTopic).toBe(false);
    for (const t of ['a', 'b', 'c']) expect(seen.get(t)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
