import type { DeadLetter } from '../../src/core/dead-letter.js';
import type { EnrichedEvent } from '../../src/core/enriched-event.js';
import { ConnectionError } from '../../src/core/errors.js';
import type { PreparedEvents, RunAccounting, Sink, SinkHealth, WriteResult } from '../../src/sinks/sink.js';

/** A fake for unit tests of the runner: dedups by event id, can fail the next N writes. */
export class FakeSink implements Sink {
  readonly name = 'fake';
  readonly events = new Map<string, EnrichedEvent>();
  readonly deadLetters: DeadLetter[] = [];
  readonly runs: RunAccounting[] = [];
  failNextWrites = 0;
  /** Event ids the fake refuses permanently (a poison record at the store). */
  readonly rejectIds = new Set<string>();

  connect(): Promise<void> {
    return Promise.resolve();
  }

  writeBatch(events: EnrichedEvent[]): Promise<WriteResult> {
    if (this.failNextWrites > 0) {
      this.failNextWrites--;
      return Promise.reject(new ConnectionError('fake store is down'));
    }
    const result: WriteResult = { written: 0, duplicates: 0, mentions: 0, rejected: [] };
    for (const e of events) {
      if (this.rejectIds.has(e.event.id)) {
        result.rejected.push({ eventId: e.event.id, error: new Error('rejected') });
      } else if (this.events.has(e.event.id)) {
        result.duplicates++;
      } else {
        this.events.set(e.event.id, e);
        result.written++;
        result.mentions += e.nlp.hits.length;
      }
    }
    return Promise.resolve(result);
  }

  writeDeadLetters(letters: DeadLetter[]): Promise<void> {
    this.deadLetters.push(...letters);
    return Promise.resolve();
  }

  recordRun(run: RunAccounting): Promise<void> {
    this.runs.push(run);
    return Promise.resolve();
  }

  query(): Promise<string> {
    return Promise.resolve('');
  }

  healthcheck(): Promise<SinkHealth> {
    return Promise.resolve({ ok: true });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** FakeSink with prepare/writePrepared, as the SQL sinks: a piece keeps only ids, and may refuse an event on prepare. */
export class PreparingFakeSink extends FakeSink {
  readonly refuseOnPrepare = new Set<string>();
  prepared = 0;
  /** Events per prepare() call. */
  readonly preparedPieces: number[] = [];
  /** Pieces per writePrepared call. */
  readonly writes: number[] = [];
  readonly #held = new WeakMap<PreparedEvents, EnrichedEvent[]>();

  prepare(events: EnrichedEvent[]): PreparedEvents {
    this.prepared += events.length;
    this.preparedPieces.push(events.length);
    const kept = events.filter((e) => !this.refuseOnPrepare.has(e.event.id));
    const piece: PreparedEvents = {
      eventIds: kept.map((e) => e.event.id),
      rejected: events.filter((e) => this.refuseOnPrepare.has(e.event.id)).map((e) => ({ eventId: e.event.id, error: new Error('refused'), channel: e.event.channel, source: e.event.source })),
    };
    this.#held.set(piece, kept);
    return piece;
  }

  async writePrepared(pieces: readonly PreparedEvents[]): Promise<WriteResult> {
    this.writes.push(pieces.length);
    const events = pieces.flatMap((p) => this.#held.get(p) ?? []);
    const result = await this.writeBatch(events);
    // As the SQL sink does: a refusal names where the event came from.
    const origin = (id: string): EnrichedEvent['event'] | undefined => events.find((e) => e.event.id === id)?.event;
    const byStore = result.rejected.map((r) => ({ ...r, channel: origin(r.eventId)?.channel, source: origin(r.eventId)?.source }));
    return { ...result, rejected: [...pieces.flatMap((p) => p.rejected), ...byStore] };
  }
}

