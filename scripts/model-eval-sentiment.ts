/**
 * Does a sentiment model help where the lexicon is unsure? Measured on
 * ../shared/data/car-opinions-dev.csv (evaluation use only), on posts labelled with exactly one
 * subject and a non-neutral polarity (the label then holds for the post's aspect clauses):
 *   - whole-post polarity: the model vs the NLP stage's event polarity (lexicon);
 *   - every clause the model stage could send (neutral, code-default, weak or conflicting), over all
 *     single-subject posts (neutral gold included): hit polarity accuracy before and after
 *     refinement, per kind of clause, at minConfidence and without a bar.
 *
 *   node --import tsx scripts/model-eval-sentiment.ts --sentiment DIR [--dtype q8] [--min-confidence 0.6]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Polarity } from '../src/core/enriched-event.js';
import type { ModelDtype } from '../src/nlp/model/config.js';
import { SentimentRefinementConfigSchema, locateModel } from '../src/nlp/model/config.js';
import { candidateClauses, decide } from '../src/nlp/model/refine.js';
import { createNlpStage } from '../src/nlp/stage.js';
import { startEvalWorker } from './eval-inference-worker.js';

const SHARED = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared');
const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const rows = parseCsv(readFileSync(resolve(SHARED, 'data', 'car-opinions-dev.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as {
  content_id: string;
  content: string;
  subject: string;
  sentiment_value: string;
}[];
const byId = new Map<string, { text: string; labels: Set<number>; subjects: Set<string> }>();
for (const r of rows) {
  const cur = byId.get(r.content_id) ?? { text: r.content.trim(), labels: new Set<number>(), subjects: new Set<string>() };
  cur.labels.add(Number(r.sentiment_value));
  cur.subjects.add(r.subject);
  byId.set(r.content_id, cur);
}
const single = [...byId.values()].filter((p) => p.subjects.size === 1 && p.labels.size === 1).map((p) => ({ text: p.text, gold: [...p.labels][0] as Polarity }));
const posts = single.filter((p) => p.gold !== 0);

const dtype = (arg('dtype', 'q8') ?? 'q8') as ModelDtype;
const ref = arg('sentiment');
if (!ref) throw new Error('--sentiment DIR is required');
const location = locateModel(ref, undefined);
const worker = await startEvalWorker('sentiment', location, dtype);
const cfg = SentimentRefinementConfigSchema.parse({ minConfidence: Number(arg('min-confidence', '0.6')) });
const noBar = { ...cfg, minConfidence: 0 };
const nlp = await createNlpStage();

async function classify(texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 32) {
    const m = await worker.classify(texts.slice(i, i + 32));
    for (let r = 0; r < m.rows; r++) out.push(m.data.slice(r * m.cols, (r + 1) * m.cols));
  }
  return out;
}

const t0 = performance.now();
const postScores = await classify(posts.map((p) => p.text));
const analyses = posts.map((p) => nlp.analyze(p.text));
let modelRight = 0; // whole posts
let lexRight = 0;
let lexNeutral = 0;
posts.forEach((p, i) => {
  const d = decide(postScores[i] ?? [], worker.labels, noBar);
  if (d?.polarity === p.gold) modelRight++;
  const lp = analyses[i]?.sentiment.polarity ?? 0;
  if (lp === p.gold) lexRight++;
  if (lp === 0) lexNeutral++;
});

// Clause level: every clause the stage could send (neutral ones included), by why it is unsure,
// over all single-subject posts (neutral gold included: two thirds of the data).
const every = SentimentRefinementConfigSchema.parse({ refineNeutral: 'always', refineDefaults: true });
type Kind = 'neutral (no opinion found)' | 'code default ±1' | 'weak lexicon' | 'conflicting';
const clauses: { text: string; gold: Polarity; before: Polarity[]; kind: Kind }[] = [];
const singleAnalyses = single.map((p) => nlp.analyze(p.text));
single.forEach((p, i) => {
  const hits = singleAnalyses[i]?.hits ?? [];
  for (const c of candidateClauses(hits, every, { neutral: true })) {
    const hs = hits.filter((h) => h.clauseIndex === c.clauseIndex);
    const kind: Kind =
      c.reason === 'conflicting' ? 'conflicting' : hs.every((h) => h.sentiment === 0) ? 'neutral (no opinion found)' : hs.some((h) => h.sentimentSource === 'default') ? 'code default ±1' : 'weak lexicon';
    clauses.push({ text: c.text, gold: p.gold, before: hs.map((h) => h.sentiment), kind });
  }
});
const clauseScores = await classify(clauses.map((c) => c.text));
const table = new Map<Kind, { hits: number; before: number; afterBar: number; afterAll: number; decided: number; clauses: number }>();
clauses.forEach((c, i) => {
  const dBar = decide(clauseScores[i] ?? [], worker.labels, cfg);
  const dAll = decide(clauseScores[i] ?? [], worker.labels, noBar);
  const t = table.get(c.kind) ?? { hits: 0, before: 0, afterBar: 0, afterAll: 0, decided: 0, clauses: 0 };
  t.clauses++;
  if (dBar) t.decided++;
  for (const b of c.before) {
    t.hits++;
    if (b === c.gold) t.before++;
    if ((dBar ? dBar.polarity : b) === c.gold) t.afterBar++;
    if ((dAll ? dAll.polarity : b) === c.gold) t.afterAll++;
  }
  table.set(c.kind, t);
});
await worker.close();
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
const lines = [
  `model ${location.dir} (${dtype}, labels ${worker.labels.join('/')}); ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  `whole post (${posts.length} single-subject posts with polarity ±1): model ${pct(modelRight, posts.length)} right; NLP stage (lexicon) ${pct(lexRight, posts.length)} right (${pct(lexNeutral, posts.length)} left neutral)`,
  `unsure clauses in ${single.length} single-subject posts (gold −1/0/+1), hit polarity right before → after refinement:`,
  'kind                         clauses   hits   before   after@' + cfg.minConfidence + '   after(no bar)   decided@' + cfg.minConfidence,
];
for (const [kind, t] of table) {
  lines.push(
    `${kind.padEnd(28)} ${String(t.clauses).padStart(7)} ${String(t.hits).padStart(6)} ${pct(t.before, t.hits).padStart(8)} ${pct(t.afterBar, t.hits).padStart(9)} ${pct(t.afterAll, t.hits).padStart(15)} ${String(t.decided).padStart(11)}`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
