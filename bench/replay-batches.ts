/**
 * Diagnostic: the embedded replay run in-process (runReplay over openPipeline, as `voc replay`
 * wires it) with the sink wrapped to record how many events each writeBatch call gets and how long
 * it takes. Shows how the bus's per-partition batches reach the store.
 *
 *   npx tsx bench/replay-batches.ts [--records 20000] [--batch-size 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeedbackEventFiles } from '../src/connectors/feedback-events/read.js';
import { loadConfig } from '../src/core/config.js';
import { createLogger } from '../src/core/logger.js';
import { PipelineMetrics } from '../src/core/metrics.js';
import { runReplay } from '../src/runner/replay.js';
import { openPipeline } from '../src/runner/wiring.js';
import { timedSink } from './lib/timed-sink.js';
import { arg, ensureCorpus } from './lib/common.js';
import { embeddedEnv } from './replay-embedded.js';

const records = Number(arg('records', '20000'));
const batchSize = Number(arg('batch-size', '1000'));
const corpus = await ensureCorpus(42, records);
const store = mkdtempSync(join(tmpdir(), 'voc-replay-batches-'));
const env: NodeJS.ProcessEnv = { ...embeddedEnv(), VOC_STORE_DIR: store };
Object.assign(process.env, { VOC_PSEUDONYM_KEY: env.VOC_PSEUDONYM_KEY });
const config = loadConfig({ env });
const abort = new AbortController();
const ctx = { config, logger: createLogger({ level: 'warn' }), metrics: new PipelineMetrics(), signal: abort.signal };
const pipeline = await openPipeline(ctx, { requirePseudonymKey: false });
const sizes: number[] = [];
let sinkMs = 0;
const sink = timedSink(pipeline.sink, (events, ms) => {
  sinkMs += ms;
  sizes.push(events.length);
});
try {
  const result = await runReplay({
    source: readFeedbackEventFiles(corpus.path),
    bus: pipeline.bus,
    sink,
    stage: pipeline.stage,
    topics: pipeline.topics,
    group: config.pipeline.group,
    batchSize,
    logger: ctx.logger,
    metrics: ctx.metrics,
    signal: abort.signal,
  });
  sizes.sort((a, b) => a - b);
  const total = sizes.reduce((s, x) => s + x, 0);
  const out = {
    records,
    batchSize,
    seconds: result.seconds,
    docsPerSec: result.counters.processed / result.seconds,
    sinkCalls: sizes.length,
    meanEventsPerWrite: total / sizes.length,
    p50EventsPerWrite: sizes[sizes.length >> 1],
    maxEventsPerWrite: sizes.at(-1),
    sinkSeconds: sinkMs / 1000,
  };
  process.stderr.write(
    `replay ${records} (batch size ${batchSize}): ${Math.round(out.docsPerSec)} docs/s; ${out.sinkCalls} sink writes, ${out.meanEventsPerWrite.toFixed(0)} events each on average (median ${out.p50EventsPerWrite}, max ${out.maxEventsPerWrite}); ${out.sinkSeconds.toFixed(1)} s of ${result.seconds.toFixed(1)} s inside writeBatch\n`,
  );
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await pipeline.close();
  rmSync(store, { recursive: true, force: true });
}
