/**
 * Behaviour check for NLP-stage optimisations: runs `createNlpStage` from two checkouts of the
 * repository over the same texts with the SAME code frame and lexicon, and diffs the JSON outputs
 * (normalised text, script, region, redactions, tokens, hits with spans/clauses/sentiment, document
 * sentiment). Exits 1 on any difference. Asserts nothing about speed.
 *
 *   git worktree add /tmp/nlp-base <commit> && ln -s "$PWD/node_modules" /tmp/nlp-base/node_modules
 *   cp -r config /tmp/nlp-config          # one frozen copy: others may be editing config/
 *   npx tsx bench/nlp-compare.ts --a /tmp/nlp-base --b . --config /tmp/nlp-config [--count 20000]
 *
 * Texts: the first --count events of the gen-corpus corpus (seed 42), every string of examples/,
 * the golden inputs of test/golden/nlp, and edge cases (whitespace, CR/LF, emoji, full width,
 * placeholders, punctuation runs) built here. Each is analysed with tokens on and off.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NlpResult } from '../src/core/enriched-event.js';
import { arg, ensureCorpus, REPO } from './lib/common.js';

const a = resolve(arg('a', '/tmp/nlp-base'));
const b = resolve(arg('b', REPO));
const config = resolve(arg('config', join(REPO, 'config')));
const count = Number(arg('count', '20000'));

type Analyze = (text: string) => NlpResult;
interface StageModule {
  createNlpStage(o: { codeFramePath: string; lexiconDir: string; tokens: boolean }): Promise<{ analyze: Analyze }>;
}

async function analyzers(root: string): Promise<{ on: Analyze; off: Analyze }> {
  const mod = (await import(pathToFileURL(join(root, 'src', 'nlp', 'stage.ts')).href)) as StageModule;
  const o = { codeFramePath: join(config, 'codeframe.yaml'), lexiconDir: join(config, 'lexicon') };
  return { on: (await mod.createNlpStage({ ...o, tokens: true })).analyze, off: (await mod.createNlpStage({ ...o, tokens: false })).analyze };
}

/** Every string value of a JSON document. */
function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function collectTexts(corpusPath: string): string[] {
  const texts: string[] = [];
  for (const line of readFileSync(corpusPath, 'utf8').split('\n')) {
    if (texts.length >= count) break;
    try {
      const o = JSON.parse(line) as { text?: unknown };
      if (typeof o.text === 'string') texts.push(o.text);
    } catch {
      // malformed lines are part of the corpus; the stage never sees them
    }
  }
  for (const f of files(join(REPO, 'examples'))) {
    const body = readFileSync(f, 'utf8');
    const out: string[] = [];
    if (f.endsWith('.json')) strings(JSON.parse(body), out);
    else if (f.endsWith('.jsonl')) {
      for (const l of body.split('\n')) {
        try {
          strings(JSON.parse(l), out);
        } catch {
          out.push(l);
        }
      }
    } else for (const l of body.split('\n')) out.push(l, ...l.split(','));
    texts.push(...out);
  }
  for (const f of files(join(REPO, 'test', 'golden', 'nlp'))) {
    const g = JSON.parse(readFileSync(f, 'utf8')) as { input?: unknown };
    if (typeof g.input === 'string') texts.push(g.input);
  }
  // Edge cases: separators of every kind next to terms and one-character opinion words.
  const seeds = texts.slice(0, 200);
  const seps = [' ', '  ', '\r\n', '\n', '\t', '，', '。', '、', '…', '——', '“', '”', '（', '）', '·', '～', '~', '-', '_', '.', '%', '#', '&', '+', '/', '@', '😀', '👍🏻', '\u3000', '\u00a0', 'Ａ', '１', '〔手机号〕', '〔', '〕', 'é', '\u2028'];
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    const sep = seps[i % seps.length]!;
    const mid = s.length >> 1;
    texts.push(`${s.slice(0, mid)}${sep}${s.slice(mid)}`, `${sep}${s}${sep}`, s.split('').join(sep), `${s}${sep}好${sep}大${sep}油耗${sep}高`);
  }
  texts.push('', ' ', '\r\n', '好', '大', '高速', '油耗大概', '價格貴', '14岁的车，13个多，三十多', 'CR-V的变速箱-顿挫', '4S店#1&2 空调%好', 'a.b.c 油耗.高');
  return texts;
}

const corpus = await ensureCorpus(42, count <= 10_000 ? 10_000 : 100_000);
const texts = collectTexts(corpus.path);
const [A, B] = [await analyzers(a), await analyzers(b)];
let diffs = 0;
for (const [mode, fa, fb] of [['tokens off', A.off, B.off], ['tokens on', A.on, B.on]] as const) {
  let n = 0;
  for (const t of texts) {
    const ja = JSON.stringify(fa(t));
    const jb = JSON.stringify(fb(t));
    n++;
    if (ja !== jb) {
      diffs++;
      if (diffs <= 5) process.stdout.write(`DIFF (${mode}) ${JSON.stringify(t)}\n  a: ${ja}\n  b: ${jb}\n`);
    }
  }
  process.stdout.write(`${mode}: ${n} texts compared\n`);
}
process.stdout.write(`${diffs === 0 ? 'identical' : `${diffs} differences`} (a = ${a}, b = ${b}, config = ${config})\n`);
process.exit(diffs === 0 ? 0 : 1);
