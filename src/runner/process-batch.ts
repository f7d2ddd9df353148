import { CHANNELS, FeedbackEventSchema, type Channel, type FeedbackEvent } from '../core/feedback-event.js';
import { deadLetterFrom, type DeadLetter } from '../core/dead-letter.js';
import type { EnrichedEvent } from '../core/enriched-event.js';
import { StageError, ValidationError } from '../core/errors.js';
import { formatZodIssues } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { PipelineMetrics } from '../core/metrics.js';
import { retry, type RetryPolicy } from '../core/retry.js';
import type { Bus, ConsumedBatch, ConsumedRecord } from '../bus/bus.js';
// Plain header helpers (no kafkajs): one DLQ header format for every bus.
import { deadLetterHeaders } from '../bus/kafka/dead-letter-headers.js';
import type { NlpStage } from '../nlp/stage.js';
import type { PoolOutcome } from '../nlp/worker-pool.js';
import { SinkBatcher, type BatchPiece, type PieceOutcome } from '../sinks/batcher.js';
import type { Sink } from '../sinks/sink.js';
import type { RunCounters } from './accounting.js';

export const HEADER_POSITION = 'voc-position';
export const HEADER_CHANNEL = 'voc-channel';

/** Analysed events handed to the writer at a time (see createBatchProcessor). */
const PREPARE_EVERY = 256;

export interface BatchProcessorDeps {
  stage: NlpStage;
  sink: Sink;
  counters: RunCounters;
  logger: Logger;
  metrics: PipelineMetrics;
  /** Dead letters also go to this bus topic (Kafka DLQ) when set. */
  dlq?: { bus: Bus; topic: string };
  /** Optional async enrichment between the NLP stage and the sink (the model stage). */
  refine?: (events: EnrichedEvent[]) => Promise<EnrichedEvent[]>;
  maxRecordBytes?: number;
  retryPolicy?: Partial<RetryPolicy>;
  /**
   * The group-commit writer in front of the sink (`createSinkWriter`; one is made when unset):
   * batches handled at the same time (SubscribeOptions.concurrency) share inserts, and one
   * batch's NLP runs while another's insert is in flight. It counts written, duplicates and
   * mentions once per write.
   */
  writer?: SinkBatcher;
  /**
   * The NLP stage on worker threads (`NlpWorkerPool`, config nlp.workers): the batch's events are
   * analysed there, with the same results as `stage`, while the main thread goes on with other
   * batches. Unset: `stage.process` on this thread.
   */
  pool?: { process(events: FeedbackEvent[]): Promise<PoolOutcome[]> };
  /** Largest write of the writer made when `writer` is unset (default 10,000 events, the sinks' maxBatchRows). */
  maxWriteEvents?: number;
}

/**
 * The group-commit writer for createBatchProcessor: one write at a time, started as soon as the
 * store is idle, holding everything that arrived meanwhile (up to `maxEvents`). Counts written,
 * duplicates and mentions once per durable write.
 */
export function createSinkWriter(o: { sink: Sink; counters: RunCounters; logger: Logger; metrics: PipelineMetrics; maxEvents: number; maxPendingEvents?: number }): SinkBatcher {
  return new SinkBatcher(
    o.sink,
    { maxEvents: o.maxEvents, maxWaitMs: 1000, maxPendingEvents: Math.max(o.maxEvents, o.maxPendingEvents ?? o.maxEvents * 4), whenIdle: true },
    o.logger,
    (result, events) => {
      o.counters.written += result.written;
      o.counters.duplicates += result.duplicates;
      o.counters.mentions += result.mentions;
      o.metrics.batchSize.observe({ component: 'sink' }, events);
    },
  );
}

/** Writes dead letters durably: to the store, and to the DLQ topic when one is configured. */
export async function writeDeadLetters(deps: Pick<BatchProcessorDeps, 'sink' | 'dlq' | 'retryPolicy' | 'logger'>, letters: DeadLetter[], signal?: AbortSignal): Promise<void> {
  if (letters.length === 0) return;
  const onRetry = (err: unknown, attempt: number, delayMs: number): void => {
    deps.logger.warn({ err, attempt, delayMs }, 'Dead-letter write failed; retrying.');
  };
  await retry(() => deps.sink.writeDeadLetters(letters, signal), { policy: deps.retryPolicy, signal, onRetry });
  const dlq = deps.dlq;
  if (dlq) {
    const records = letters.map((l) => ({
      key: l.eventId ?? l.payloadSha256,
      value: Buffer.from(JSON.stringify(l)),
      headers: { ...deadLetterHeaders(l), [HEADER_POSITION]: l.position },
    }));
    await retry(() => dlq.bus.publish(dlq.topic, records), { policy: deps.retryPolicy, signal, onRetry });
  }
}

function recordPosition(r: ConsumedRecord): string {
  return r.headers?.[HEADER_POSITION] ?? `${r.topic}/${r.partition}/${r.offset}`;
}

/**
 * The consumer side of the pipeline, one bus batch at a time: decode → validate → NLP → (refine) →
 * sink, with every bad record dead-lettered. It resolves only when the store and the dead letters
 * hold the whole batch, so the bus may then commit (at-least-once); the sink's dedup by event id
 * makes a redelivery harmless.
 */
export function createBatchProcessor(deps: BatchProcessorDeps): (batch: ConsumedBatch, signal: AbortSignal) => Promise<void> {
  const maxBytes = deps.maxRecordBytes ?? 1_048_576;
  const { metrics } = deps;
  let pool = deps.pool;
  const writer = deps.writer ?? createSinkWriter({ sink: deps.sink, counters: deps.counters, logger: deps.logger, metrics, maxEvents: deps.maxWriteEvents ?? 10_000 });
  return async (batch, signal) => {
    const letters: DeadLetter[] = [];
    // Analysed events go to the writer in pieces of PREPARE_EVERY, encoded for the store as each
    // piece fills (when the sink can): an EnrichedEvent then lives for a few hundred events, not for
    // the whole batch and its write, and dies young instead of being promoted and collected by the
    // major GC. With a refine step the events are kept until it has seen them all.
    const pieces: BatchPiece[] = [];
    let pending: EnrichedEvent[] = [];
    let total = 0;
    // Counted now, given to the metrics once the batch is durable.
    const sent = new Map<Channel, number>();
    const redactions = new Map<string, number>();
    const handOver = (): void => {
      for (const e of pending) {
        sent.set(e.event.channel, (sent.get(e.event.channel) ?? 0) + 1);
        for (const [type, n] of Object.entries(e.nlp.redactions)) if (n) redactions.set(type, (redactions.get(type) ?? 0) + n);
      }
      total += pending.length;
      pieces.push(writer.prepare(pending));
      pending = [];
    };
    const analysed = (e: EnrichedEvent): void => {
      pending.push(e);
      if (!deps.refine && pending.length >= PREPARE_EVERY) handOver();
    };
    const dead = (stage: DeadLetter['stage'], error: unknown, r: ConsumedRecord, channel: Channel | null = null, eventId: string | null = null): void => {
      letters.push(deadLetterFrom({ stage, error, position: recordPosition(r), source: r.topic, channel, eventId, payload: r.value }));
    };
    const nlpFailed = (err: unknown, r: ConsumedRecord, event: FeedbackEvent): void => {
      dead('nlp', err instanceof StageError ? err : new StageError(deps.stage.name, `NLP stage failed: ${(err as Error).message}`, { cause: err }), r, event.channel, event.id);
    };
    // Per-record counts are summed here and given to the metrics once per batch (prom-client hashes
    // the labels on every inc: a cost per record on the hot path otherwise).
    const received = new Map<Channel, number>();
    // With a pool, the valid events are analysed together after the loop.
    const toAnalyse: FeedbackEvent[] = [];
    const toAnalyseFrom: ConsumedRecord[] = [];
    for (const r of batch.records) {
      if (r.value.length > maxBytes) {
        dead('bus', new ValidationError(`Record is ${r.value.length} bytes; the limit is ${maxBytes}.`, { code: 'TOO_LARGE' }), r);
        continue;
      }
      let event: FeedbackEvent;
      if (r.decoded !== undefined) {
        // Published in this process from a connector outcome, validated a moment ago (bus.ts).
        event = r.decoded as FeedbackEvent;
      } else {
        let raw: unknown;
        try {
          raw = JSON.parse(r.value.toString('utf8'));
        } catch (err) {
          dead('validate', new ValidationError('Record is not JSON.', { code: 'BAD_JSON', cause: err }), r);
          continue;
        }
        const parsed = FeedbackEventSchema.safeParse(raw);
        if (!parsed.success) {
          dead('validate', new ValidationError(`Not a FeedbackEvent: ${formatZodIssues(parsed.error)}.`, { code: 'SCHEMA_INVALID' }), r);
          continue;
        }
        event = parsed.data;
      }
      received.set(event.channel, (received.get(event.channel) ?? 0) + 1);
      if (pool) {
        toAnalyse.push(event);
        toAnalyseFrom.push(r);
        continue;
      }
      try {
        const out = deps.stage.process(event);
        for (const e of out) analysed(e);
      } catch (err) {
        nlpFailed(err, r, event);
      }
    }
    // Before the first await, as the per-record increments were.
    for (const [channel, n] of received) metrics.received.inc({ component: 'nlp', channel }, n);
    if (toAnalyse.length > 0) {
      // (Another batch may have dropped the pool meanwhile: then these are analysed here.)
      const current = pool;
      let outcomes: PoolOutcome[] | undefined;
      if (current) {
        try {
          outcomes = await current.process(toAnalyse);
        } catch (err) {
          // A thread that died fails every later call too: go on without the pool (same results).
          if (pool === current) deps.logger.error({ err }, 'NLP worker thread failed; analysing on the main thread from now on.');
          pool = undefined;
        }
      }
      toAnalyse.forEach((event, i) => {
        const r = toAnalyseFrom[i] as ConsumedRecord;
        const o = outcomes?.[i];
        if (o === undefined) {
          try {
            for (const e of deps.stage.process(event)) analysed(e);
          } catch (err) {
            nlpFailed(err, r, event);
          }
        } else if (o.ok) for (const e of o.out) analysed(e);
        else nlpFailed(o.error, r, event);
      });
    }
    if (deps.refine && pending.length > 0) pending = await deps.refine(pending);
    if (pending.length > 0) handOver();

    let stored = 0;
    if (pieces.length > 0) {
      const started = performance.now();
      // Written, duplicates and mentions are counted by the writer once per write; this batch's
      // share is what the invariant needs: every event the store took, new or already there. The
      // pieces given in one turn share the writer's next write.
      const settled = await Promise.allSettled(
        pieces.map((piece) =>
          retry(() => writer.write(piece), {
            policy: deps.retryPolicy,
            signal,
            onRetry: (err, attempt, delayMs) => deps.logger.warn({ err, attempt, delayMs, sink: deps.sink.name }, 'Sink write failed; retrying.'),
          }),
        ),
      );
      // Settled, not raced: the batch fails only once none of its pieces is still being written.
      const failed = settled.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
      const outcomes = settled.map((o) => (o as PromiseFulfilledResult<PieceOutcome>).value);
      metrics.sinkLatency.observe({ sink: deps.sink.name }, (performance.now() - started) / 1000);
      stored = total;
      for (const { rejected } of outcomes) {
        stored -= rejected.length;
        for (const rej of rejected) {
          letters.push(
            deadLetterFrom({
              stage: 'sink',
              error: rej.error,
              position: rej.eventId,
              source: rej.source ?? deps.sink.name,
              channel: (CHANNELS as readonly string[]).includes(rej.channel as string) ? (rej.channel as Channel) : null,
              eventId: rej.eventId,
              payload: rej.eventId,
            }),
          );
        }
      }
    }
    await writeDeadLetters(deps, letters, signal);

    // Counted only now that everything is durable: a failed batch is redelivered and counted once.
    const c = deps.counters;
    c.processed += stored;
    c.deadLettered += letters.length;
    for (const l of letters) {
      c.deadLetterCodes.set(l.code, (c.deadLetterCodes.get(l.code) ?? 0) + 1);
      metrics.deadLettered.inc({ component: 'nlp', stage: l.stage, code: l.code });
    }
    for (const [channel, n] of sent) metrics.sent.inc({ component: 'nlp', channel }, n);
    for (const [type, n] of redactions) metrics.redactions.inc({ type }, n);
    if (letters.length > 0) deps.logger.debug({ deadLettered: letters.length, codes: [...new Set(letters.map((l) => l.code))] }, 'Batch had dead letters.');
  };
}
