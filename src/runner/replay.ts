import { randomUUID } from 'node:crypto';
import type { Bus, BusRecord, TopicSpec } from '../bus/bus.js';
import type { DeadLetter } from '../core/dead-letter.js';
import type { Channel } from '../core/feedback-event.js';
import type { EnrichedEvent } from '../core/enriched-event.js';
import type { Logger } from '../core/logger.js';
import type { PipelineMetrics } from '../core/metrics.js';
import { retry } from '../core/retry.js';
import type { ParseOutcome } from '../connectors/connector.js';
import type { NlpStage } from '../nlp/stage.js';
import type { RunAccounting, Sink } from '../sinks/sink.js';
import { RunCounters } from './accounting.js';
import { createBatchProcessor, createSinkWriter, type BatchProcessorDeps, HEADER_CHANNEL, HEADER_POSITION, writeDeadLetters } from './process-batch.js';
import { topicSpecs, type TopicNames } from './topics.js';

export interface ReplayOptions {
  source: AsyncIterable<ParseOutcome>;
  bus: Bus;
  sink: Sink;
  stage: NlpStage;
  /** The NLP stage on worker threads (config nlp.workers); unset: on this thread. */
  pool?: BatchProcessorDeps['pool'];
  topics: TopicNames;
  /** Topics to ensure at start; defaults derived from `topics`. */
  topicSpecs?: TopicSpec[];
  group: string;
  batchSize: number;
  logger: Logger;
  metrics: PipelineMetrics;
  signal?: AbortSignal;
  /** Dead letters also go to the bus's DLQ topic (on Kafka). */
  publishDeadLetters?: boolean;
  refine?: (events: EnrichedEvent[]) => Promise<EnrichedEvent[]>;
  /** Bounded memory: the producer waits while more than this many records are in flight. */
  maxInFlight?: number;
  /**
   * Bus batches (of different topics) handled at once, their writes gathered by a group-commit
   * writer (default 3): one batch's NLP runs while another's insert is in the store.
   */
  concurrency?: number;
  maxRecordBytes?: number;
  onProgress?: (counters: RunCounters) => void;
  counters?: RunCounters;
  mode?: RunAccounting['mode'];
}

export interface ReplayResult {
  run: RunAccounting;
  counters: RunCounters;
  seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Replays a source through the whole pipeline: connector outcomes → bus (raw topics) → NLP → sink,
 * with dead letters for everything that cannot go on, and a run record at the end. The same path
 * as the service, so that a replay proves what the service will do.
 */
export async function runReplay(o: ReplayOptions): Promise<ReplayResult> {
  const runId = randomUUID();
  const startedAt = new Date();
  const counters = o.counters ?? new RunCounters();
  const log = o.logger.child({ runId });
  const maxInFlight = o.maxInFlight ?? o.batchSize * 2;
  const dlq = o.publishDeadLetters ? { bus: o.bus, topic: o.topics.dlq } : undefined;
  const deps = { sink: o.sink, logger: log, dlq };
  let fromBus = 0; // records the consumer has finished with (processed or dead-lettered after the bus)

  await o.bus.ensureTopics(o.topicSpecs ?? topicSpecs(o.topics));
  const concurrency = Math.max(1, o.concurrency ?? 3);
  const writer = createSinkWriter({ sink: o.sink, counters, logger: log, metrics: o.metrics, maxEvents: o.batchSize, maxPendingEvents: o.batchSize * (concurrency + 1) });
  const processBatch = createBatchProcessor({
    writer,
    stage: o.stage,
    pool: o.pool,
    sink: o.sink,
    counters,
    logger: log,
    metrics: o.metrics,
    dlq,
    refine: o.refine,
    maxRecordBytes: o.maxRecordBytes,
  });
  const rawTopics = [...new Set(Object.values(o.topics.raw))];
  const subscription = await o.bus.subscribe({
    topics: rawTopics,
    group: o.group,
    maxBatchRecords: o.batchSize,
    concurrency,
    handler: async (batch, signal) => {
      await processBatch(batch, signal);
      fromBus += batch.records.length;
    },
    onHandlerError: (err, batch) => {
      log.warn({ err, topic: batch.topic, partition: batch.partition }, 'Batch failed; it will be delivered again.');
    },
  });

  const pending = new Map<string, BusRecord[]>();
  let pendingCount = 0;
  const parseLetters: DeadLetter[] = [];
  // Events read per channel since the last flush, for the metrics (one inc per channel, not per record).
  const readByChannel = new Map<Channel, number>();
  const flush = async (): Promise<void> => {
    for (const [channel, n] of readByChannel) o.metrics.received.inc({ component: 'replay', channel }, n);
    readByChannel.clear();
    for (const [topic, records] of pending) {
      if (records.length === 0) continue;
      await retry(() => o.bus.publish(topic, records), {
        signal: o.signal,
        onRetry: (err, attempt, delayMs) => log.warn({ err, topic, attempt, delayMs }, 'Publish failed; retrying.'),
      });
      counters.published += records.length;
      o.metrics.batchSize.observe({ component: 'bus' }, records.length);
    }
    pending.clear();
    pendingCount = 0;
    if (parseLetters.length > 0) {
      const letters = parseLetters.splice(0);
      await writeDeadLetters(deps, letters, o.signal);
      counters.deadLettered += letters.length;
      for (const l of letters) {
        counters.deadLetterCodes.set(l.code, (counters.deadLetterCodes.get(l.code) ?? 0) + 1);
        o.metrics.deadLettered.inc({ component: 'replay', stage: l.stage, code: l.code });
      }
    }
    o.onProgress?.(counters);
    // Back-pressure: do not read further ahead of the consumer than maxInFlight.
    while (counters.published - fromBus > maxInFlight) {
      if (o.signal?.aborted) break;
      await sleep(2);
    }
  };

  try {
    for await (const outcome of o.source) {
      if (o.signal?.aborted) break;
      counters.read++;
      if (outcome.kind === 'event') {
        const e = outcome.event;
        const topic = o.topics.raw[e.channel as Channel];
        let list = pending.get(topic);
        if (!list) pending.set(topic, (list = []));
        list.push({
          key: e.id,
          value: Buffer.from(JSON.stringify(e)),
          headers: { [HEADER_POSITION]: outcome.position, [HEADER_CHANNEL]: e.channel },
          // On the memory bus the consumer takes the validated event as is (no second parse and
          // zod pass); on Kafka only the value travels.
          decoded: e,
        });
        pendingCount++;
        readByChannel.set(e.channel, (readByChannel.get(e.channel) ?? 0) + 1);
      } else if (outcome.kind === 'dead_letter') {
        parseLetters.push(outcome.letter);
      } else {
        counters.skipped++;
        counters.skippedReasons.set(outcome.reason, (counters.skippedReasons.get(outcome.reason) ?? 0) + 1);
      }
      if (pendingCount + parseLetters.length >= o.batchSize) await flush();
    }
    await flush();
    // Drain: everything published is processed or dead-lettered and committed.
    for (;;) {
      let lag = 0;
      for (const t of rawTopics) lag += await o.bus.lag(o.group, t);
      // lag 0 means every published record was handled and committed (by us or a peer in the group).
      if (lag === 0) break;
      if (o.signal?.aborted) break;
      await sleep(5);
    }
  } finally {
    await subscription.stop();
    await writer.close().catch((err: unknown) => log.warn({ err }, 'Sink writer did not close cleanly.'));
  }

  const finishedAt = new Date();
  const run = counters.toRun({ runId, mode: o.mode ?? 'replay', startedAt }, finishedAt);
  await retry(() => o.sink.recordRun(run), { signal: o.signal });
  const seconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  log.info({ ...run, balanced: counters.balanced() }, 'Replay finished.');
  return { run, counters, seconds };
}
