import type { EnrichedEvent } from '../core/enriched-event.js';
import type { Logger } from '../core/logger.js';
import type { Sink, WriteResult } from './sink.js';

export interface SinkBatcherOptions {
  /** Flush when this many events are buffered. */
  maxEvents: number;
  /** Flush this long after the first event entered an empty buffer, however few there are. */
  maxWaitMs: number;
  /** Buffered plus in-flight events; add() waits beyond it (back-pressure on the consumer). */
  maxPendingEvents: number;
}

export const DEFAULT_BATCHER_OPTIONS: SinkBatcherOptions = { maxEvents: 1000, maxWaitMs: 1000, maxPendingEvents: 10_000 };

/** Called once the events of one add() are durable: the place to ack or commit offsets. */
export type BatchAck = (outcome: { rejected: WriteResult['rejected']; result: WriteResult }) => void | Promise<void>;

interface Entry {
  events: EnrichedEvent[];
  ack: BatchAck | undefined;
}

/**
 * Batches by size and by time in front of a Sink, for consumers that receive records in small
 * pieces (the Kafka service): events are written when `maxEvents` are buffered or `maxWaitMs`
 * after the first one, in arrival order, one write at a time. Each add()'s ack runs only after
 * the write that holds its events resolved (durable), so offsets are committed after the store
 * has the data — at-least-once. While the store is down the write blocks (the sink retries), the
 * buffer fills to `maxPendingEvents` and add() waits: memory stays bounded and nothing is dropped.
 * A write that finally fails (retries exhausted) fails the batcher: its acks never run, so the
 * records are redelivered after a restart.
 */
export class SinkBatcher {
  readonly #sink: Sink;
  readonly #o: SinkBatcherOptions;
  readonly #logger: Logger | undefined;
  #buffer: Entry[] = [];
  #buffered = 0;
  #inflight = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failed: unknown;
  #waiters: (() => void)[] = [];

  constructor(sink: Sink, options: Partial<SinkBatcherOptions> = {}, logger?: Logger) {
    this.#sink = sink;
    this.#o = { ...DEFAULT_BATCHER_OPTIONS, ...options };
    if (this.#o.maxPendingEvents < this.#o.maxEvents) throw new RangeError('SinkBatcher: maxPendingEvents must be at least maxEvents.');
    this.#logger = logger;
  }

  /** Events buffered or being written. */
  get pending(): number {
    return this.#buffered + this.#inflight;
  }

  /** Accepts events (waiting while the batcher is full); `ack` runs once they are durable. */
  async add(events: EnrichedEvent[], ack?: BatchAck): Promise<void> {
    this.#throwIfFailed();
    // An add larger than the limit is accepted alone once everything before it is written.
    while (this.pending > 0 && this.pending + events.length > this.#o.maxPendingEvents) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      this.#throwIfFailed();
    }
    this.#buffer.push({ events, ack });
    this.#buffered += events.length;
    if (this.#buffered >= this.#o.maxEvents) this.#flushSoon();
    else this.#timer ??= setTimeout(() => this.#flushSoon(), this.#o.maxWaitMs);
  }

  /** Writes everything buffered and waits for it (and its acks). */
  async flush(): Promise<void> {
    this.#flushSoon();
    await this.#writing;
    this.#throwIfFailed();
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
  }

  #throwIfFailed(): void {
    if (this.#failed !== undefined) throw this.#failed;
  }

  #flushSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const entries: Entry[] = [];
    let n = 0;
    while (this.#buffer.length > 0) {
      const next = this.#buffer[0] as Entry;
      if (entries.length > 0 && n + next.events.length > this.#o.maxEvents) break;
      entries.push(next);
      n += next.events.length;
      this.#buffer.shift();
    }
    this.#buffered -= n;
    this.#inflight += n;
    this.#writing = this.#writing.then(() => this.#write(entries, n));
    if (this.#buffer.length > 0) this.#flushSoon();
  }

  async #write(entries: Entry[], n: number): Promise<void> {
    if (this.#failed !== undefined) return;
    try {
      const result = await this.#sink.writeBatch(entries.flatMap((e) => e.events));
      for (const e of entries) {
        const ids = new Set(e.events.map((ev) => ev.event.id));
        await e.ack?.({ rejected: result.rejected.filter((r) => ids.has(r.eventId)), result });
      }
    } catch (err) {
      this.#failed = err;
      this.#logger?.error({ err, events: n }, 'Failed to write a batch; its records stay unacknowledged.');
    } finally {
      this.#inflight -= n;
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }
}
