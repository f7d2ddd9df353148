import type { EnrichedEvent } from '../../src/core/enriched-event.js';
import type { Sink, WriteResult } from '../../src/sinks/sink.js';

/**
 * The sink itself, with `onWrite` told of every writeBatch once it resolved: how long it took and
 * what it wrote. The benches use it to see the store's share of a run.
 */
export function timedSink(inner: Sink, onWrite: (events: EnrichedEvent[], ms: number, result: WriteResult) => void): Sink {
  return {
    name: inner.name,
    connect: (s) => inner.connect(s),
    async writeBatch(events, s) {
      const t = performance.now();
      const result = await inner.writeBatch(events, s);
      onWrite(events, performance.now() - t, result);
      return result;
    },
    writeDeadLetters: (l, s) => inner.writeDeadLetters(l, s),
    recordRun: (r) => inner.recordRun(r),
    query: (q, f) => inner.query(q, f),
    healthcheck: () => inner.healthcheck(),
    close: () => inner.close(),
  };
}
