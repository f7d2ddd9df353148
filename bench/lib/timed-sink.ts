import type { EnrichedEvent } from '../../src/core/enriched-event.js';
import type { PreparedEvents, Sink, WriteResult } from '../../src/sinks/sink.js';

/** What the benches need of each event a write held: which phase it belongs to, and when it was received. */
export interface WrittenEvent {
  sourceId: string;
  receivedAt: string;
}

const written = (e: EnrichedEvent): WrittenEvent => ({ sourceId: e.event.sourceId, receivedAt: e.event.receivedAt });

/**
 * The sink itself, with `onWrite` told of every write once it resolved: how long it took and what
 * it wrote. The benches use it to see the store's share of a run. A sink that prepares keeps doing
 * so (as the service's writer uses it): the few fields `onWrite` needs are kept with each piece.
 */
export function timedSink(inner: Sink, onWrite: (events: WrittenEvent[], ms: number, result: WriteResult) => void): Sink {
  const held = new WeakMap<PreparedEvents, WrittenEvent[]>();
  const sink: Sink = {
    name: inner.name,
    connect: (s) => inner.connect(s),
    async writeBatch(events, s) {
      const t = performance.now();
      const result = await inner.writeBatch(events, s);
      onWrite(events.map(written), performance.now() - t, result);
      return result;
    },
    writeDeadLetters: (l, s) => inner.writeDeadLetters(l, s),
    recordRun: (r) => inner.recordRun(r),
    query: (q, f) => inner.query(q, f),
    healthcheck: () => inner.healthcheck(),
    close: () => inner.close(),
  };
  const { prepare, writePrepared } = inner;
  if (prepare && writePrepared) {
    sink.prepare = (events) => {
      const piece = prepare.call(inner, events);
      held.set(piece, events.map(written));
      return piece;
    };
    sink.writePrepared = async (pieces, s) => {
      const t = performance.now();
      const result = await writePrepared.call(inner, pieces, s);
      onWrite(pieces.flatMap((p) => held.get(p) ?? []), performance.now() - t, result);
      return result;
    };
  }
  return sink;
}
