/**
 * One consumer process of the Kafka → NLP → ClickHouse benchmark (bench/kafka-clickhouse.ts starts
 * one or two). It runs the service's processing path — bus.subscribe + createBatchProcessor
 * (src/runner/process-batch.ts) over the NLP stage and the ClickHouse sink, as `voc serve --roles
 * process` does — with the sink wrapped to time each event from its receivedAt to the moment its
 * batch is durable in the store.
 *
 * Config from the environment (VOC_KAFKA_BROKERS, VOC_CLICKHOUSE_URL, VOC_CLICKHOUSE_DATABASE).
 * Args: --topic T --group G [--batch N] (default pipeline.batchSize, as `voc serve`) [--concurrency C]
 * (partitions handled at once, default 4). Prints JSON lines on stdout:
 *   {"type":"ready"}  {"type":"progress","written":n}  {"type":"final","phases":{…}}
 * and ends on SIGTERM after the in-flight batch is committed.
 */
import { RunCounters } from '../src/runner/accounting.js';
import { createBatchProcessor } from '../src/runner/process-batch.js';
import { openBus, openSink } from '../src/runner/wiring.js';
import { loadConfig } from '../src/core/config.js';
import { createLogger } from '../src/core/logger.js';
import { PipelineMetrics } from '../src/core/metrics.js';
import { createNlpStage } from '../src/nlp/stage.js';
import { timedSink } from './lib/timed-sink.js';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

interface Phase {
  count: number;
  firstWriteMs: number;
  lastWriteMs: number;
  /** Latency histogram: whole milliseconds → events. */
  hist: Record<number, number>;
}

const topic = arg('topic');
const group = arg('group');

const abort = new AbortController();
const config = loadConfig({});
const logger = createLogger({ level: process.env.VOC_LOG_LEVEL ?? 'warn' });
const metrics = new PipelineMetrics();
// Records per handler call: the service's pipeline.batchSize unless --batch says otherwise.
const batch = Number(arg('batch', String(config.pipeline.batchSize)));
const ctx = { config, logger, metrics, signal: abort.signal };

// As openPipeline builds it for the service: the store keeps no tokens, so none are cut.
const stage = await createNlpStage({ codeFramePath: config.nlp.codeFrame, tokens: false });
const sink = await openSink(ctx);
const bus = await openBus(ctx);

const phases: Record<string, Phase> = {};
let written = 0;
/** Where a consumer's time goes: in handler calls (decode, validate, NLP, sink), in the sink alone. */
const time = { batches: 0, records: 0, handlerMs: 0, sinkMs: 0, sinkCalls: 0, firstBatchAt: 0, lastBatchAt: 0 };
const emit = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);

const timed = timedSink(sink, (events, sinkMs) => {
  time.sinkMs += sinkMs;
  time.sinkCalls++;
  const now = Date.now();
  for (const e of events) {
    const phaseName = e.sourceId.slice(0, e.sourceId.indexOf('-'));
    const p = (phases[phaseName] ??= { count: 0, firstWriteMs: now, lastWriteMs: now, hist: {} });
    const ms = Math.max(0, now - Date.parse(e.receivedAt));
    p.hist[ms] = (p.hist[ms] ?? 0) + 1;
    p.count++;
    p.lastWriteMs = now;
  }
  written += events.length;
  emit({ type: 'progress', written }); // once per batch: the orchestrator waits on these counts
});

const processBatch = createBatchProcessor({ stage, sink: timed, counters: new RunCounters(), logger, metrics });
const subscription = await bus.subscribe({
  topics: [topic],
  group,
  maxBatchRecords: batch,
  // Four partitions at once, their writes gathered into shared inserts: what `voc serve` does with
  // its default bus.kafka.consumer.partitionsConsumedConcurrently: 4 (docs/performance.md).
  concurrency: Number(arg('concurrency', '4')),
  handler: async (b, signal) => {
    const t = performance.now();
    time.firstBatchAt ||= Date.now();
    await processBatch(b, signal);
    time.handlerMs += performance.now() - t;
    time.batches++;
    time.records += b.records.length;
    time.lastBatchAt = Date.now();
  },
  onHandlerError: (err) => logger.warn({ err }, 'Batch failed; it will be delivered again.'),
});
emit({ type: 'ready', pid: process.pid });

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await subscription.stop();
  await bus.close();
  await sink.close();
  emit({ type: 'progress', written });
  emit({ type: 'final', written, phases, time, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
