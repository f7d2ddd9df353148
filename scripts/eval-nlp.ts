// `npm run eval:nlp`: measures the real NLP stage against a labelled car-review slice
// (../shared/data/car-opinions-dev.csv, see its README: evaluation only, never copied into the repo).
//
// Document level. A subject (one of the ten review dimensions) is predicted when any hit's level-1
// domain carries that label; the other seven domains map to no subject. Its polarity is the sum of the
// signed intensities of that domain's hits, one vote per clause (the strongest hit of the clause), with
// a neutral band: |sum| < band → 0 (default 0.8 for price, power, fuel and safety: one
// opinion word at the engine's base intensity 0.5, or with 很/挺, is not enough; a strong degree word
// (太/非常/特别 …) or a second clause is; 0.5 for the dimensions judged by feel, see FEEL_SUBJECTS). Salience: annotators label the subjects a post is
// centrally about, so when a post touches several subjects an incidental one is dropped (`salientSubjects`).
// Prints per-subject and micro precision/recall/F1, polarity accuracy
// on correctly found subjects, and F1 over (subject, polarity) pairs; writes bench/results/eval-nlp.json.
//
// Options: --data PATH, --out PATH, --band X (default 0.8), --feel-band X (default 0.5, for 外观/内饰/空间/舒适性/操控/配置), --salience BAR (default 2; 0 = every mentioned subject), --default-weight W (default 0.5: a code's default polarity is weaker evidence than an opinion word), --show-errors N (prints up to N wrong
// documents per subject to stderr for local diagnosis; never paste them into the repository).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CodeHit, Polarity } from '../src/core/enriched-event.js';
import { packageRoot } from '../src/nlp/codeframe/document.js';
import { STANDARD_DIMENSIONS } from '../src/nlp/codeframe/lint.js';
import { loadCodeFrame } from '../src/nlp/codeframe/load.js';
import { createNlpStage } from '../src/nlp/stage.js';

type Subject = (typeof STANDARD_DIMENSIONS)[number];
const SUBJECTS: readonly string[] = STANDARD_DIMENSIONS;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    band: { type: 'string', default: '0.8' },
    'feel-band': { type: 'string', default: '0.5' },
    salience: { type: 'string', default: '2' },
    'default-weight': { type: 'string', default: '0.5' },
    'show-errors': { type: 'string', default: '0' },
  },
});
const root = packageRoot();
const dataPath = resolve(args.data ?? process.env.VOC_EVAL_DATA ?? join(root, '..', 'shared', 'data', 'car-opinions-dev.csv'));
const outPath = resolve(args.out ?? join(root, 'bench', 'results', 'eval-nlp.json'));
const band = Number(args.band);
const feelBand = Number(args['feel-band']);
/**
 * Dimensions judged by feel (look, cabin, room, comfort, handling, equipment): a post's opinion words
 * there are usually the verdict on that dimension, so one plain opinion word suffices (`--feel-band`).
 * Price, power, fuel and safety talk is often figures and facts (prices quoted, specs, maintenance), where
 * an opinion word more often belongs to something else, so they keep the higher `--band`.
 */
const FEEL_SUBJECTS: ReadonlySet<string> = new Set(['外观', '内饰', '空间', '舒适性', '操控', '配置']);
const bandFor = (subject: string): number => (FEEL_SUBJECTS.has(subject) ? feelBand : band);
const defaultWeight = Number(args['default-weight']);
const showErrors = Number(args['show-errors']);
const salienceBar = Number(args.salience);

interface Row {
  content_id: string;
  content: string;
  subject: string;
  sentiment_value: string;
}

interface Doc {
  id: string;
  text: string;
  gold: Map<string, Polarity>;
}

function readDocs(path: string): Doc[] {
  const rows = parseCsv(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Row[];
  const docs = new Map<string, Doc>();
  for (const r of rows) {
    let d = docs.get(r.content_id);
    if (!d) {
      d = { id: r.content_id, text: r.content.trim(), gold: new Map() };
      docs.set(r.content_id, d);
    }
    if (!SUBJECTS.includes(r.subject)) throw new Error(`Unexpected subject ${JSON.stringify(r.subject)} in ${path}.`);
    d.gold.set(r.subject, Number(r.sentiment_value) as Polarity);
  }
  return [...docs.values()];
}

/** Document-level polarity of one subject from its hits: one vote per clause, summed, neutral band. */
function aggregatePolarity(hits: readonly CodeHit[], neutralBand: number, defaultWeight = 1, opinionCodes: ReadonlySet<string> = new Set()): Polarity {
  const perClause = new Map<number, number>();
  for (const h of hits) {
    // A code's default polarity is full evidence when its terms are evaluations (opinion leaves:
    // 动力不足, 太丑), weaker when they only name a problem that may be asked about (烧机油).
    const weight = h.sentimentSource === 'default' && !opinionCodes.has(h.code) ? defaultWeight : 1;
    const v = h.sentiment * h.intensity * weight;
    const prev = perClause.get(h.clauseIndex);
    if (prev === undefined || Math.abs(v) > Math.abs(prev)) perClause.set(h.clauseIndex, v);
  }
  let sum = 0;
  for (const v of perClause.values()) sum += v;
  return Math.abs(sum) < neutralBand ? 0 : sum > 0 ? 1 : -1;
}

/**
 * Subjects a post is centrally about, from the hits of each candidate subject. A post with one candidate
 * keeps it. With several, each scores: 2 when a hit names the dimension itself (its term contains the
 * subject label or is part of it: 动力, 油耗高, 安全), +1 per further clause that mentions it (at most +2),
 * +1 when a clause about it carries a lexicon opinion. Subjects scoring at least `bar` are kept, and so
 * is the best-scoring one (all of them on a tie); the rest are incidental mentions (a part named in
 * passing, a word in a clause about something else). bar ≤ 0 keeps every candidate.
 */
function salientSubjects(bySubject: ReadonlyMap<string, readonly CodeHit[]>, bar: number): Set<string> {
  if (bySubject.size <= 1 || bar <= 0) return new Set(bySubject.keys());
  const score = new Map<string, number>();
  for (const [s, hs] of bySubject) {
    const namesDimension = hs.some((h) => s.includes(h.term) || h.term.includes(s));
    const clauses = new Set(hs.map((h) => h.clauseIndex)).size;
    const opinion = hs.some((h) => h.sentimentSource === 'lexicon' && h.sentiment !== 0);
    score.set(s, (namesDimension ? 2 : 0) + Math.min(clauses - 1, 2) + (opinion ? 1 : 0));
  }
  const best = Math.max(...score.values());
  return new Set([...score].filter(([, v]) => v >= bar || v === best).map(([s]) => s));
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const prf = (c: Counts): { precision: number; recall: number; f1: number } => {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
};

const docs = readDocs(dataPath);
const opinionCodes = new Set(loadCodeFrame().leaves.filter((l) => l.opinion === true).map((l) => l.id));
const stage = await createNlpStage({ tokens: false });
const started = performance.now();

const subj = new Map<string, Counts>(SUBJECTS.map((s) => [s, { tp: 0, fp: 0, fn: 0 }]));
const polBySubject = new Map<string, { found: number; correct: number }>(SUBJECTS.map((s) => [s, { found: 0, correct: 0 }]));
const pairs: Counts = { tp: 0, fp: 0, fn: 0 };
const confusion: Record<string, number> = {};
const errorsShown = new Map<string, number>();

for (const doc of docs) {
  const nlp = stage.analyze(doc.text);
  const byDomain = new Map<string, CodeHit[]>();
  for (const h of nlp.hits) {
    if (!SUBJECTS.includes(h.domainLabel)) continue;
    const list = byDomain.get(h.domainLabel) ?? [];
    list.push(h);
    byDomain.set(h.domainLabel, list);
  }
  const salient = salientSubjects(byDomain, salienceBar);
  const pred = new Map<string, Polarity>([...byDomain].filter(([s]) => salient.has(s)).map(([s, hs]) => [s, aggregatePolarity(hs, bandFor(s), defaultWeight, opinionCodes)]));
  for (const s of SUBJECTS) {
    const g = doc.gold.get(s);
    const p = pred.get(s);
    const c = subj.get(s)!;
    if (g !== undefined && p !== undefined) {
      c.tp += 1;
      const pol = polBySubject.get(s)!;
      pol.found += 1;
      if (g === p) pol.correct += 1;
      confusion[`${g}→${p}`] = (confusion[`${g}→${p}`] ?? 0) + 1;
    } else if (p !== undefined) c.fp += 1;
    else if (g !== undefined) c.fn += 1;
    if (g !== undefined && p !== undefined && g === p) pairs.tp += 1;
    else {
      if (p !== undefined) pairs.fp += 1;
      if (g !== undefined) pairs.fn += 1;
    }
    if (showErrors > 0 && (g !== p)) {
      const n = errorsShown.get(s) ?? 0;
      if (n < showErrors) {
        errorsShown.set(s, n + 1);
        const hs = (byDomain.get(s) ?? []).map((h) => `${h.code}:${h.term}:${h.sentiment}×${h.intensity}`).join(' ');
        process.stderr.write(`[${s}] gold=${g ?? '-'} pred=${p ?? '-'} | ${doc.text} | ${hs}\n`);
      }
    }
  }
}
const seconds = (performance.now() - started) / 1000;

const micro = [...subj.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
const polTotal = [...polBySubject.values()].reduce((a, c) => ({ found: a.found + c.found, correct: a.correct + c.correct }), { found: 0, correct: 0 });
const round = (x: number): number => Math.round(x * 1000) / 1000;
const perSubject = SUBJECTS.map((s) => {
  const c = subj.get(s)!;
  const p = polBySubject.get(s)!;
  const m = prf(c);
  return { subject: s as Subject, ...c, precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), polarityAccuracy: round(p.found === 0 ? 0 : p.correct / p.found) };
});
const m = prf(micro);
const pm = prf(pairs);
const result = {
  date: new Date().toISOString().slice(0, 10),
  data: dataPath.replace(`${resolve(root, '..')}/`, '../'),
  documents: docs.length,
  labels: [...docs].reduce((n, d) => n + d.gold.size, 0),
  codeFrame: stage.codeFrame,
  neutralBand: band,
  feelBand,
  feelSubjects: [...FEEL_SUBJECTS],
  defaultWeight,
  salienceBar,
  subject: { ...micro, precision: round(m.precision), recall: round(m.recall), f1: round(m.f1) },
  polarityAccuracy: round(polTotal.found === 0 ? 0 : polTotal.correct / polTotal.found),
  pair: { ...pairs, precision: round(pm.precision), recall: round(pm.recall), f1: round(pm.f1) },
  polarityConfusion: confusion,
  /** Polarity accuracy that predicting neutral for every found subject would score (the floor to beat). */
  polarityAllNeutral: round(polTotal.found === 0 ? 0 : ['-1', '0', '1'].reduce((n, p) => n + (confusion[`0→${p}`] ?? 0), 0) / polTotal.found),
  perSubject,
  docsPerSecond: Math.round(docs.length / seconds),
};

const pct = (x: number): string => (x * 100).toFixed(1).padStart(6);
const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u2E80-\uFFFF]/.test(ch) ? 2 : 1), 0);
const lines = [
  `eval:nlp ${result.date} — ${result.documents} documents, ${result.labels} labels, code frame ${stage.codeFrame.version} (${stage.codeFrame.hash}), neutral band ${band} (feel dimensions ${feelBand}), salience bar ${salienceBar}`,
  '',
  `subject     ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)} ${'pol.acc'.padStart(8)}   tp/fp/fn`,
  ...perSubject.map((r) => `${r.subject}${' '.repeat(12 - width(r.subject))}${pct(r.precision)} ${pct(r.recall)} ${pct(r.f1)} ${pct(r.polarityAccuracy).padStart(8)}   ${r.tp}/${r.fp}/${r.fn}`),
  `${'micro'.padEnd(12)}${pct(result.subject.precision)} ${pct(result.subject.recall)} ${pct(result.subject.f1)} ${pct(result.polarityAccuracy).padStart(8)}   ${micro.tp}/${micro.fp}/${micro.fn}`,
  '',
  `subject micro-F1        ${result.subject.f1.toFixed(3)}   (target ≥ 0.85)`,
  `polarity accuracy       ${result.polarityAccuracy.toFixed(3)}   (on found subjects; target ≥ 0.80; all-neutral would score ${result.polarityAllNeutral.toFixed(3)})`,
  `(subject, polarity) F1  ${result.pair.f1.toFixed(3)}   (target ≥ 0.65)`,
  '',
  'polarity confusion (rows gold, columns predicted, on found subjects)',
  `gold\\pred ${['-1', '0', '1'].map((p) => p.padStart(6)).join(' ')}`,
  ...(['-1', '0', '1'] as const).map((g) => `${g.padStart(9)} ${['-1', '0', '1'].map((p) => String(confusion[`${g}→${p}`] ?? 0).padStart(6)).join(' ')}`),
  '',
  `${result.docsPerSecond} docs/s (single thread, including tagging and sentiment)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`wrote ${outPath}\n`);
