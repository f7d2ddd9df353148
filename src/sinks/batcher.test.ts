import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../core/errors.js';
import { FakeSink, PreparingFakeSink } from '../../test/support/fake-sink.js';
import { makeMixedEvents } from '../../test/contract/sink-fixtures.js';
import { SinkBatcher } from './batcher.js';

describe('SinkBatcher', () => {
  it('writes by size, in order, and acks each add only after its write', async () => {
    const sink = new FakeSink();
    const sizes: number[] = [];
    const write = sink.writeBatch.bind(sink);
    sink.writeBatch = (events) => {
      sizes.push(events.length);
      return write(events);
    };
    const b = new SinkBatcher(sink, { maxEvents: 10, maxWaitMs: 60_000, maxPendingEvents: 100 });
    const acked: number[] = [];
    const events = makeMixedEvents(25, 'size');
    for (let i = 0; i < 25; i += 5) {
      await b.add(events.slice(i, i + 5), () => {
        expect(sink.events.has(events[i]!.event.id)).toBe(true);
        acked.push(i);
      });
    }
    await b.close();
    expect(sizes).toEqual([10, 10, 5]);
    expect(acked).toEqual([0, 5, 10, 15, 20]);
    expect(sink.events.size).toBe(25);
  });

  it('writes a small batch after maxWaitMs', async () => {
    const sink = new FakeSink();
    const b = new SinkBatcher(sink, { maxEvents: 1000, maxWaitMs: 20, maxPendingEvents: 1000 });
    const done = new Promise<void>((resolve) => void b.add(makeMixedEvents(3, 'time'), () => resolve()));
    await done;
    expect(sink.events.size).toBe(3);
    await b.close();
  });

  it('hands each add its own rejected records', async () => {
    const sink = new FakeSink();
    const events = makeMixedEvents(4, 'rej');
    sink.rejectIds.add(events[3]!.event.id);
    const b = new SinkBatcher(sink, { maxEvents: 4, maxWaitMs: 60_000, maxPendingEvents: 8 });
    const seen: string[][] = [];
    await b.add(events.slice(0, 2), ({ rejected }) => void seen.push(rejected.map((r) => r.eventId)));
    await b.add(events.slice(2), ({ rejected }) => void seen.push(rejected.map((r) => r.eventId)));
    await b.close();
    expect(seen).toEqual([[], [events[3]!.event.id]]);
  });

  it('applies back-pressure while the store is slow: pending never exceeds the bound', async () => {
    const sink = new FakeSink();
    let release: (() => void) | undefined;
    const write = sink.writeBatch.bind(sink);
    sink.writeBatch = async (events) => {
      await new Promise<void>((r) => (release = r));
      return write(events);
    };
    const b = new SinkBatcher(sink, { maxEvents: 5, maxWaitMs: 60_000, maxPendingEvents: 10 });
    const events = makeMixedEvents(30, 'bp');
    let maxPending = 0;
    const producer = (async () => {
      for (let i = 0; i < 30; i += 5) {
        await b.add(events.slice(i, i + 5));
        maxPending = Math.max(maxPending, b.pending);
      }
      await b.close();
    })();
    while (sink.events.size < 30) {
      await new Promise((r) => setTimeout(r, 1));
      release?.();
    }
    await producer;
    expect(maxPending).toBeLessThanOrEqual(10);
    expect(sink.events.size).toBe(30);
  });

  it('fails, without acking, when a write finally fails', async () => {
    const sink = new FakeSink();
    sink.failNextWrites = 1;
    const b = new SinkBatcher(sink, { maxEvents: 2, maxWaitMs: 60_000, maxPendingEvents: 4 });
    let acked = false;
    await b.add(makeMixedEvents(2, 'fail'), () => {
      acked = true;
    });
    await expect(b.flush()).rejects.toBeInstanceOf(ConnectionError);
    await expect(b.add(makeMixedEvents(1, 'after'))).rejects.toBeInstanceOf(ConnectionError);
    expect(acked).toBe(false);
  });

  it('group commit: writes at once when idle and gathers what arrives during a write into the next one', async () => {
    const sink = new FakeSink();
    const sizes: number[] = [];
    let release: (() => void) | undefined;
    const write = sink.writeBatch.bind(sink);
    sink.writeBatch = async (events) => {
      sizes.push(events.length);
      await new Promise<void>((r) => (release = r));
      return write(events);
    };
    const b = new SinkBatcher(sink, { maxEvents: 100, maxWaitMs: 60_000, maxPendingEvents: 1000, whenIdle: true });
    const events = makeMixedEvents(12, 'gc');
    sink.rejectIds.add(events[7]!.event.id);
    const first = b.write(events.slice(0, 3));
    while (sizes.length === 0) await new Promise((r) => setTimeout(r, 1));
    // Three more pieces while the first write is in flight: they share the second write.
    const later = [b.write(events.slice(3, 6)), b.write(events.slice(6, 9)), b.write(events.slice(9))];
    await new Promise((r) => setTimeout(r, 5));
    expect(sizes).toEqual([3]);
    release?.();
    await first;
    while (sizes.length < 2) await new Promise((r) => setTimeout(r, 1));
    release?.();
    const outcomes = await Promise.all(later);
    expect(sizes).toEqual([3, 9]);
    expect(outcomes.map((o) => o.rejected.map((r) => r.eventId))).toEqual([[], [events[7]!.event.id], []]);
    expect(sink.events.size).toBe(11);
    await b.close();
  });

  it('write(): a failed write rejects its pieces alone and the batcher goes on', async () => {
    const sink = new FakeSink();
    sink.failNextWrites = 1;
    const b = new SinkBatcher(sink, { maxEvents: 10, maxWaitMs: 60_000, maxPendingEvents: 20, whenIdle: true });
    await expect(b.write(makeMixedEvents(2, 'f1'))).rejects.toBeInstanceOf(ConnectionError);
    const again = await b.write(makeMixedEvents(2, 'f2'));
    expect(again.rejected).toEqual([]);
    expect(sink.events.size).toBe(2);
    await b.close();
  });

  it('with a sink that prepares: encodes each piece on arrival, writes pieces together, hands each its own refusals', async () => {
    const sink = new PreparingFakeSink();
    const events = makeMixedEvents(12, 'prep');
    sink.refuseOnPrepare.add(events[1]!.event.id);
    sink.rejectIds.add(events[9]!.event.id);
    const b = new SinkBatcher(sink, { maxEvents: 12, maxWaitMs: 60_000, maxPendingEvents: 12 });
    const seen: string[][] = [];
    for (let i = 0; i < 12; i += 4) await b.add(events.slice(i, i + 4), ({ rejected }) => void seen.push(rejected.map((r) => r.eventId)));
    // Encoded as they arrived, before any write.
    expect(sink.prepared).toBe(12);
    expect(sink.writes).toEqual([]);
    await b.close();
    expect(sink.writes).toEqual([3]);
    expect(seen).toEqual([[events[1]!.event.id], [], [events[9]!.event.id]]);
    expect(sink.events.size).toBe(10);
  });
});
