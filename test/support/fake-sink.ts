import type { DeadLetter } from '../../src/core/dead-letter.js';
import type { EnrichedEvent } from '../../src/core/enriched-event.js';
import { ConnectionError } from '../../src/core/errors.js';
import type { RunAccounting, Sink, SinkHealth, WriteResult } from '../../src/sinks/sink.js';

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
