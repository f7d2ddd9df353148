/**
 * Throughput of the optional model stage next to the lexicon-only NLP stage.
 *
 *   node --import tsx bench/model-stage.ts [--rows N] [--batch N] [--model-dir DIR]
 *                                          [--sentiment ID] [--embedding ID] [--threads N]
 *                                          [--min-confidence X] [--prefix "query: "]
 *
 * Defaults: the tiny random-weight models in ../shared/models (or VOC_MODEL_DIR), the texts of
 * ../shared/data/car-opinions-dev.csv (evaluation use only; synthetic texts when absent), batches
 * of 256 events. Three runs over the same events:
 *   lexicon only       the NLP stage alone;
 *   lexicon + model    the NLP stage, then the model stage as configured (sentiment refinement of
 *                      unsure clauses + discovery on uncovered texts);
 *   model, every text  the model stage asked about every event (one unsure clause each) and
 *                      embedding every event: the upper bound of model work per event.
 * Figures vary with the machine and its load (2 shared cores here): read them as orders of magnitude.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ComponentContext } from '../src/core/component.js';
import type { EnrichedEvent } from '../src/core/enriched-event.js';
import type { FeedbackEvent } from '../src/core/feedback-event.js';
import { eventId } from '../src/core/feedback-event.js';
import { silentLogger } from '../src/core/logger.js';
import { PipelineMetrics } from '../src/core/metrics.js';
import { parseModelStageConfig } from '../src/nlp/model/config.js';
import type { ModelStageStats } from '../src/nlp/model/stage.js';
import { createModelStage } from '../src/nlp/model/stage.js';
import { createNlpStage } from '../src/nlp/stage.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const SHARED = resolve(REPO, '..', 'shared');

export interface ModelBenchOptions {
  rows?: number;
  batch?: number;
  modelDir?: string;
  sentimentModel?: string;
  embeddingModel?: string;
  threads?: number;
  /** Default: 0 with the tiny models (random weights score ~0.5; 0 lets every answer through so the write path runs), else the config default. */
  minConfidence?: number;
  /** Text before every text to embed (e5: "query: "). */
  prefix?: string;
}

export interface BenchFigure {
  run: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  stats?: ModelStageStats;
}

function loadTexts(rows: number): string[] {
  const csv = resolve(SHARED, 'data', 'car-opinions-dev.csv');
  let texts: string[] = [];
  if (existsSync(csv)) {
    const records = parseCsv(readFileSync(csv, 'utf8'), { columns: true, skip_empty_lines: true }) as { content_id: string; content: string }[];
    const seen = new Set<string>();
    for (const r of records) {
      if (seen.has(r.content_id)) continue;
      seen.add(r.content_id);
      texts.push(r.content.trim());
    }
  } else {
    const parts = ['换挡有点顿挫', '车机经常黑屏', '座椅很舒服', '油耗偏高', '隔音一般', '导航偏航', '空调制冷慢', '刹车异响'];
    texts = Array.from({ length: 1000 }, (_, i) => `${parts[i % parts.length]}，${parts[(i * 3 + 1) % parts.length]}，第${i}次反馈`);
  }
  const out: string[] = [];
  for (let i = 0; out.length < rows; i++) out.push(texts[i % texts.length] ?? '');
  return out;
}

function events(texts: string[]): FeedbackEvent[] {
  return texts.map((text, i) => {
    const sourceId = `bench-${i}`;
    return {
      schemaVersion: 1,
      id: eventId('social', 'bench', sourceId),
      channel: 'social',
      source: 'bench',
      sourceId,
      occurredAt: '2026-11-01T08:00:00.000Z',
      receivedAt: '2026-11-01T08:00:01.000Z',
      text,
      authorKey: null,
      context: {},
      consent: { coCreation: false },
    };
  });
}

function batches<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Every event gets one unsure clause (its first clause, code default polarity) and counts as uncovered. */
function forceModelWork(e: EnrichedEvent): EnrichedEvent {
  const clause = e.nlp.text.split(/[，。！？,.!?；;]/u)[0] || e.nlp.text;
  return {
    event: e.event,
    nlp: {
      ...e.nlp,
      hits: [
        {
          code: 'BENCH.ANY.ATTR',
          label: 'bench',
          domain: 'BENCH',
          domainLabel: 'bench',
          term: clause.slice(0, 2),
          span: [0, Math.min(2, clause.length)],
          clause,
          clauseIndex: 0,
          // A code-default polarity: unsure whatever labels the model has (a neutral one would not
          // be sent to a two-label model).
          sentiment: -1,
          intensity: 0.5,
          needLayer: 'basic',
          department: 'rnd',
          sentimentSource: 'default',
        },
      ],
    },
  };
}

export async function runModelBench(options: ModelBenchOptions = {}): Promise<BenchFigure[]> {
  const rows = options.rows ?? 3223;
  const batch = options.batch ?? 256;
  const ctx: ComponentContext = { logger: silentLogger(), metrics: new PipelineMetrics(), signal: new AbortController().signal };
  const input = events(loadTexts(rows));
  const nlp = await createNlpStage();
  const figures: BenchFigure[] = [];
  const fig = (run: string, ms: number, stats?: ModelStageStats): BenchFigure => ({
    run,
    events: input.length,
    seconds: ms / 1000,
    eventsPerSecond: input.length / (ms / 1000),
    ...(stats ? { stats } : {}),
  });

  // Warm-up, so that the first run does not pay for JIT and lazy loading.
  for (const e of input.slice(0, 200)) nlp.process(e);

  let t = performance.now();
  const enriched: EnrichedEvent[] = [];
  for (const e of input) enriched.push(...nlp.process(e));
  figures.push(fig('lexicon only', performance.now() - t));

  const config = parseModelStageConfig({
    enabled: true,
    modelDir: options.modelDir ?? process.env.VOC_MODEL_DIR ?? resolve(SHARED, 'models'),
    sentimentModel: options.sentimentModel ?? 'tiny-zh-bert-sentiment',
    embeddingModel: options.embeddingModel ?? 'tiny-zh-bert-embed',
    threads: options.threads ?? 1,
    batchSize: 32,
    sentiment: { minConfidence: options.minConfidence ?? (options.sentimentModel === undefined ? 0 : 0.6) },
    discovery: { prefix: options.prefix ?? '' },
  }, {});
  const stage = await createModelStage(config, ctx);
  try {
    await stage.refine(enriched.slice(0, 64).map(forceModelWork)); // warm-up
    const base = stage.stats();
    const delta = (a: ModelStageStats, b: ModelStageStats): ModelStageStats =>
      Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k as keyof ModelStageStats] ?? 0)])) as unknown as ModelStageStats;

    t = performance.now();
    for (const b of batches(input, batch)) {
      const out: EnrichedEvent[] = [];
      for (const e of b) out.push(...nlp.process(e));
      await stage.refine(out);
    }
    const s1 = stage.stats();
    figures.push(fig('lexicon + model', performance.now() - t, delta(s1, base)));

    const forced = enriched.map(forceModelWork);
    t = performance.now();
    for (const b of batches(forced, batch)) await stage.refine(b);
    figures.push(fig('model, every text', performance.now() - t, delta(stage.stats(), s1)));
  } finally {
    await stage.close();
  }
  return figures;
}

export function formatFigures(figures: BenchFigure[]): string {
  const lines = ['run                 events   seconds   events/s   clauses→model  refined  embedded  calls(cls/emb)'];
  for (const f of figures) {
    const s = f.stats;
    lines.push(
      [
        f.run.padEnd(18),
        String(f.events).padStart(7),
        f.seconds.toFixed(2).padStart(9),
        Math.round(f.eventsPerSecond).toString().padStart(10),
        (s ? String(s.candidateClauses) : '-').padStart(14),
        (s ? String(s.refinedClauses) : '-').padStart(8),
        (s ? String(s.embedded) : '-').padStart(9),
        (s ? `${s.classifyCalls}/${s.embedCalls}` : '-').padStart(15),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const figures = await runModelBench({
    rows: num(arg('rows')),
    batch: num(arg('batch')),
    modelDir: arg('model-dir'),
    sentimentModel: arg('sentiment'),
    embeddingModel: arg('embedding'),
    threads: num(arg('threads')),
    minConfidence: num(arg('min-confidence')),
    prefix: arg('prefix'),
  });
  process.stdout.write(`Model stage throughput (models: ${arg('sentiment') ?? 'tiny-zh-bert-sentiment'}, ${arg('embedding') ?? 'tiny-zh-bert-embed'})\n`);
  process.stdout.write(formatFigures(figures) + '\n');
}
