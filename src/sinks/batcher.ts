import type { EnrichedEvent } from '../core/enriched-event.js';
import type { Logger } from '../core/logger.js';
import type { PreparedEvents, RejectedEvent, Sink, WriteResult } from './sink.js';

export interface SinkBatcherOptions {
  /** Flush when this many events are buffered; no write holds more (a larger piece goes alone). */
  maxEvents: number;
  /** Flush this long after the first event entered an empty buffer, however few there are. */
  maxWaitMs: number;
  /** Buffered plus in-flight events; add() and write() wait beyond it (back-pressure on the consumer). */
  maxPendingEvents: number;
  /**
   * Group commit: write as soon as the store is idle, and gather what arrives during a write into
   * the next one. Concurrent callers then share inserts (larger, fewer parts) without waiting for
   * `maxWaitMs` when the load is light. Off: only size, time and flush() start a write.
   */
  whenIdle: boolean;
}

export const DEFAULT_BATCHER_OPTIONS: SinkBatcherOptions = { maxEvents: 1000, maxWaitMs: 1000, maxPendingEvents: 10_000, whenIdle: false };

/** What one piece (one add() or write()) got from the write that held it. */
export interface PieceOutcome {
  /** This piece's records the store refused permanently; the caller dead-letters them. */
  rejected: WriteResult['rejected'];
  /** The whole write's result (it may hold other pieces too). */
  result: WriteResult;
}

/** Called once the events of one add() are durable: the place to ack or commit offsets. */
export type BatchAck = (outcome: PieceOutcome) => void | Promise<void>;

/** What add() and write() take: events, or what SinkBatcher.prepare made of them. */
export type BatchPiece = EnrichedEvent[] | PreparedEvents;

interface Entry {
  /** Prepared when the sink can (Sink.prepare), else the events themselves. */
  piece: BatchPiece;
  /** Events given, accepted or not: what counts against the bounds. */
  count: number;
  ack: BatchAck | undefined;
  /** Set by write(): a failed write rejects this piece alone instead of failing the batcher. */
  fail?: (err: unknown) => void;
}

/**
 * Batches by size and by time in front of a Sink, for consumers that receive records in small
 * pieces (the Kafka service): events are written when `maxEvents` are buffered or `maxWaitMs`
 * after the first one (or, with `whenIdle`, whenever the store is idle), in arrival order, one
 * write at a time. Each piece is acknowledged only after the write that holds it resolved
 * (durable), so offsets are committed after the store has the data — at-least-once. While the
 * store is down the write blocks (the sink retries), the buffer fills to `maxPendingEvents` and
 * callers wait: memory stays bounded and nothing is dropped.
 *
 * Failure: a piece given with write() is rejected with the write's error (its caller leaves its
 * records uncommitted, and the bus delivers them again); the batcher goes on. A write holding a
 * piece given with add() that finally fails fails the batcher: those acks never run, so the
 * records are redelivered after a restart.
 */
export class SinkBatcher {
  readonly #sink: Sink;
  readonly #o: SinkBatcherOptions;
  readonly #logger: Logger | undefined;
  readonly #onWrite: ((result: WriteResult, events: number) => void) | undefined;
  /** The sink encodes pieces ahead of the write (Sink.prepare with writePrepared). */
  readonly #canPrepare: boolean;
  #buffer: Entry[] = [];
  #buffered = 0;
  #inflight = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Buffered events are due for writing (size reached, time up, flush() or whenIdle). */
  #due = false;
  /** flush() callers are waiting: everything buffered is due until the batcher is idle. */
  #flushing = 0;
  #writing: Promise<void> | undefined;
  #failed: unknown;
  #waiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];

  /** `onWrite` sees every write's result once, when it is durable (counters, metrics). */
  constructor(sink: Sink, options: Partial<SinkBatcherOptions> = {}, logger?: Logger, onWrite?: (result: WriteResult, events: number) => void) {
    this.#sink = sink;
    this.#o = { ...DEFAULT_BATCHER_OPTIONS, ...options };
    if (this.#o.maxPendingEvents < this.#o.maxEvents) throw new RangeError('SinkBatcher: maxPendingEvents must be at least maxEvents.');
    this.#logger = logger;
    this.#onWrite = onWrite;
    this.#canPrepare = typeof sink.prepare === 'function' && typeof sink.writePrepared === 'function';
  }

  /** Events buffered or being written. */
  get pending(): number {
    return this.#buffered + this.#inflight;
  }

  /**
   * Encodes events for the store now when the sink can (Sink.prepare), so that the caller may let
   * go of them while the piece waits for its write: the events as they are otherwise.
   */
  prepare(events: EnrichedEvent[]): BatchPiece {
    return this.#canPrepare ? (this.#sink.prepare as (e: EnrichedEvent[]) => PreparedEvents).call(this.#sink, events) : events;
  }

  /** Accepts events (waiting while the batcher is full); `ack` runs once they are durable. */
  async add(events: BatchPiece, ack?: BatchAck): Promise<void> {
    const piece = Array.isArray(events) ? this.prepare(events) : events;
    const count = pieceCount(piece);
    await this.#admit(count);
    this.#enqueue({ piece, count, ack });
  }

  /**
   * Writes events together with whatever else is buffered, and resolves once they are durable
   * with this piece's outcome; rejects if that write finally fails (the batcher goes on).
   */
  async write(events: BatchPiece): Promise<PieceOutcome> {
    const piece = Array.isArray(events) ? this.prepare(events) : events;
    const count = pieceCount(piece);
    await this.#admit(count);
    return new Promise<PieceOutcome>((resolve, reject) => {
      this.#enqueue({ piece, count, ack: resolve, fail: reject });
    });
  }

  /** Writes everything buffered and waits for it (and its acks). */
  async flush(): Promise<void> {
    this.#flushing++;
    try {
      this.#due = true;
      this.#pump();
      while (this.#writing || this.#buffer.length > 0) {
        if (this.#failed !== undefined) break;
        await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      }
    } finally {
      this.#flushing--;
    }
    this.#throwIfFailed();
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
  }

  async #admit(n: number): Promise<void> {
    this.#throwIfFailed();
    // A piece larger than the limit is accepted alone once everything before it is written.
    while (this.pending > 0 && this.pending + n > this.#o.maxPendingEvents) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      this.#throwIfFailed();
    }
  }

  #enqueue(entry: Entry): void {
    this.#buffer.push(entry);
    this.#buffered += entry.count;
    if (this.#o.whenIdle || this.#buffered >= this.#o.maxEvents) {
      this.#due = true;
      // Start on the next turn, so that pieces added in the same turn share the write.
      if (!this.#writing) setImmediate(() => this.#pump());
    } else this.#armTimer();
  }

  /** Makes the buffer due `maxWaitMs` from now, unless a timer is already running. */
  #armTimer(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#pump();
    }, this.#o.maxWaitMs);
  }

  #throwIfFailed(): void {
    if (this.#failed !== undefined) throw this.#failed;
  }

  /** Starts the next write when one is due and none is running. */
  #pump(): void {
    if (this.#writing || !this.#due || this.#buffer.length === 0 || this.#failed !== undefined) {
      if (!this.#writing && (this.#buffer.length === 0 || this.#failed !== undefined)) for (const wake of this.#idleWaiters.splice(0)) wake();
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const entries: Entry[] = [];
    let n = 0;
    while (this.#buffer.length > 0) {
      const next = this.#buffer[0] as Entry;
      if (entries.length > 0 && n + next.count > this.#o.maxEvents) break;
      entries.push(next);
      n += next.count;
      this.#buffer.shift();
    }
    this.#buffered -= n;
    this.#inflight += n;
    // Still due afterwards: a full buffer, or group commit. Otherwise the next piece starts a timer.
    this.#due = this.#o.whenIdle || this.#flushing > 0 || this.#buffered >= this.#o.maxEvents;
    if (!this.#due && this.#buffer.length > 0) this.#armTimer();
    this.#writing = this.#write(entries, n).finally(() => {
      this.#writing = undefined;
      this.#pump();
    });
  }

  async #write(entries: Entry[], n: number): Promise<void> {
    try {
      let result: WriteResult;
      try {
        result = await this.#writeEntries(entries);
      } catch (err) {
        const poisons = entries.some((e) => !e.fail);
        if (poisons) {
          this.#failed = err;
          this.#logger?.error({ err, events: n }, 'Failed to write a batch; its records stay unacknowledged.');
        } else {
          this.#logger?.warn({ err, events: n }, 'Failed to write a batch; its pieces are handed back for redelivery.');
        }
        for (const e of entries) e.fail?.(err);
        return;
      }
      this.#onWrite?.(result, n);
      // A prepared piece's own refusals are its own; the store's refusals go to the piece holding the id.
      const own = new Set<RejectedEvent>();
      for (const e of entries) if (!Array.isArray(e.piece)) for (const r of e.piece.rejected) own.add(r);
      const byStore = own.size === 0 ? result.rejected : result.rejected.filter((r) => !own.has(r));
      for (const e of entries) {
        let rejected: WriteResult['rejected'] = Array.isArray(e.piece) ? [] : [...e.piece.rejected];
        if (byStore.length > 0) rejected = rejected.concat(refusalsOf(e.piece, byStore));
        try {
          await e.ack?.({ rejected, result });
        } catch (err) {
          // The data is durable but the ack (an offset commit) failed: as a failed write, the
          // records stay unacknowledged.
          this.#failed ??= err;
          this.#logger?.error({ err }, 'A batch acknowledgement failed; later records stay unacknowledged.');
        }
      }
    } finally {
      this.#inflight -= n;
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** One write for the entries: prepared pieces together, or the events of the raw ones. */
  #writeEntries(entries: Entry[]): Promise<WriteResult> {
    const raw: EnrichedEvent[][] = [];
    const prepared: PreparedEvents[] = [];
    for (const e of entries) {
      if (Array.isArray(e.piece)) raw.push(e.piece);
      else prepared.push(e.piece);
    }
    if (raw.length === 0 && this.#sink.writePrepared) return this.#sink.writePrepared(prepared);
    // prepare() makes prepared pieces only for a sink that writes them, so these come from elsewhere.
    if (prepared.length > 0) return Promise.reject(new TypeError(`SinkBatcher: sink ${this.#sink.name} was given prepared events it cannot write with others.`));
    return this.#sink.writeBatch(raw.length === 1 ? (raw[0] as EnrichedEvent[]) : raw.flat());
  }
}

/** The store's refusals of the events in `piece`, each naming the event's channel and source. */
function refusalsOf(piece: BatchPiece, refusals: readonly RejectedEvent[]): RejectedEvent[] {
  if (!Array.isArray(piece)) {
    const ids = new Set(piece.eventIds);
    return refusals.filter((r) => ids.has(r.eventId));
  }
  // A sink that does not prepare names no origin: the events themselves are here.
  const events = new Map(piece.map((ev) => [ev.event.id, ev.event]));
  const out: RejectedEvent[] = [];
  for (const r of refusals) {
    const ev = events.get(r.eventId);
    if (ev) out.push({ channel: ev.channel, source: ev.source, ...r });
  }
  return out;
}

function pieceCount(piece: BatchPiece): number {
  return Array.isArray(piece) ? piece.length : piece.eventIds.length + piece.rejected.length;
}
