/**
 * The sink alone: EnrichedEvents made once in memory (NLP stage run beforehand, untimed), then
 * written with sink.writeBatch in batches, timed. Separates the store's cost from the rest of the
 * pipeline, for chDB (embedded) and, when VOC_CLICKHOUSE_URL is set, the ClickHouse server.
 *
 *   npx tsx bench/sink-alone.ts [--events 20000] [--batch 1000] [--months 10|1] [--store chdb|clickhouse|both]
 *
 * --months 1 moves every event into one month: the tables are partitioned by month, so a batch
 * spread over ten months writes ten parts per table (and per materialized view) instead of one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeedbackEventLine } from '../src/connectors/feedback-events/parse.js';
import { loadConfig } from '../src/core/config.js';
import type { EnrichedEvent } from '../src/core/enriched-event.js';
import { createLogger } from '../src/core/logger.js';
import { PipelineMetrics } from '../src/core/metrics.js';
import { createNlpStage } from '../src/nlp/stage.js';
import { openSink } from '../src/runner/wiring.js';
import { arg, ensureCorpus, load1 } from './lib/common.js';

export interface SinkFigure {
  store: string;
  events: number;
  batch: number;
  months: number;
  seconds: number;
  docsPerSec: number;
  cpuSeconds: number;
  /** ms per writeBatch call: median and max. */
  p50BatchMs: number;
  maxBatchMs: number;
  /** Mean ms per batch in the first and the last tenth of the run: growth means the store slows as it fills. */
  firstTenthMs: number;
  lastTenthMs: number;
  load1: number;
}

export async function benchSinkAlone(store: 'chdb' | 'clickhouse', events: EnrichedEvent[], batch: number, months: number): Promise<SinkFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'voc-sink-alone-'));
  const database = `voc_sink_alone_${process.pid}`;
  const env: NodeJS.ProcessEnv = { ...process.env, VOC_STORE: store, VOC_STORE_DIR: dir, VOC_CLICKHOUSE_DATABASE: database, VOC_BUS: 'memory' };
  const config = loadConfig({ env });
  const sink = await openSink({ config, logger: createLogger({ level: 'error' }), metrics: new PipelineMetrics(), signal: new AbortController().signal });
  const load = load1();
  try {
    const times: number[] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += batch) {
      const t = performance.now();
      await sink.writeBatch(events.slice(i, i + batch));
      times.push(performance.now() - t);
    }
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const sorted = [...times].sort((a, b) => a - b);
    const tenth = Math.max(1, Math.floor(times.length / 10));
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      store,
      events: events.length,
      batch,
      months,
      seconds,
      docsPerSec: events.length / seconds,
      cpuSeconds: (c.user + c.system) / 1e6,
      p50BatchMs: sorted[sorted.length >> 1]!,
      maxBatchMs: sorted.at(-1)!,
      firstTenthMs: mean(times.slice(0, tenth)),
      lastTenthMs: mean(times.slice(-tenth)),
      load1: load,
    };
  } finally {
    if (store === 'clickhouse') await sink.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function enrichedCorpus(n: number, months: number): Promise<EnrichedEvent[]> {
  const corpus = await ensureCorpus(42, Math.max(10_000, Math.ceil(n / 10_000) * 10_000));
  const stage = await createNlpStage({ tokens: false });
  const out: EnrichedEvent[] = [];
  const lines = readFileSync(corpus.path, 'utf8').split('\n');
  for (let i = 0; i < lines.length && out.length < n; i++) {
    const o = parseFeedbackEventLine(lines[i]!, `bench:${i + 1}`);
    if (o.kind !== 'event') continue;
    const e = months === 1 ? { ...o.event, occurredAt: `2026-05-${o.event.occurredAt.slice(8)}`.replace(/^2026-05-3[01]/, '2026-05-28') } : o.event;
    out.push(...stage.process(e));
  }
  return out;
}

if (process.argv[1]?.endsWith('sink-alone.ts')) {
  const n = Number(arg('events', '20000'));
  const batch = Number(arg('batch', '1000'));
  const months = Number(arg('months', '10'));
  const which = arg('store', 'both');
  const events = await enrichedCorpus(n, months);
  const stores: ('chdb' | 'clickhouse')[] = which === 'both' ? (process.env.VOC_CLICKHOUSE_URL ? ['chdb', 'clickhouse'] : ['chdb']) : [which as 'chdb' | 'clickhouse'];
  for (const s of stores) {
    const f = await benchSinkAlone(s, events, batch, months);
    process.stderr.write(
      `sink ${s}: ${f.events} events in batches of ${batch}, ${months} month(s): ${Math.round(f.docsPerSec)} docs/s, ${f.cpuSeconds.toFixed(1)} CPU-s (this process), batch p50 ${Math.round(f.p50BatchMs)} ms max ${Math.round(f.maxBatchMs)} ms, first tenth ${Math.round(f.firstTenthMs)} ms → last tenth ${Math.round(f.lastTenthMs)} ms\n`,
    );
    process.stdout.write(`${JSON.stringify(f)}\n`);
  }
}
