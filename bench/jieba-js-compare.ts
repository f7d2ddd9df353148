/**
 * Equality check of the TypeScript jieba (src/nlp/segment/jieba-js.ts) against @node-rs/jieba 2.0.3:
 * both built from the same dictionaries (jieba's default dict + the code-frame user dictionary of
 * segmenter.ts), `cut(text, true)` compared token by token on
 *   - the first --count texts of the gen-corpus corpus (seed 42), raw and after the stage's
 *     normalise + redact;
 *   - the texts of a CSV (--csv; e.g. ../shared/data/car-opinions-dev.csv: read here, never copied);
 *   - --fuzz random strings mixing CJK, ASCII letters and digits, + # & . _ % -, punctuation,
 *     whitespace, CR LF, emoji, full width, placeholders.
 * Also prints the build time and heap of the JS cutter and µs per cut of both. Exits 1 on a difference.
 *
 *   node --expose-gc --import tsx bench/jieba-js-compare.ts [--config config] [--count 100000] [--csv path] [--fuzz 200000]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { loadCodeFrame } from '../src/nlp/codeframe/load.js';
import { normalizeText } from '../src/nlp/normalize/normalize.js';
import { redactText } from '../src/nlp/redact/redact.js';
import { JiebaCutter } from '../src/nlp/segment/jieba-js.js';
import { dictionaryWords, fuzzText, rng } from '../src/nlp/segment/jieba-fuzz.js';
import { userDictionary } from '../src/nlp/segment/segmenter.js';
import { Tagger } from '../src/nlp/tag/tagger.js';
import { arg, ensureCorpus, REPO } from './lib/common.js';

const config = resolve(arg('config', join(REPO, 'config')));
const count = Number(arg('count', '100000'));
const csv = arg('csv', '');
const fuzz = Number(arg('fuzz', '100000'));

const terms = new Tagger(loadCodeFrame(join(config, 'codeframe.yaml'))).terms;
const user = userDictionary(terms);

const native = Jieba.withDict(dict);
native.loadDict(Buffer.from(user, 'utf8'));

// Build: default dictionary + user dictionary in one go (as segmenter.ts does), then the same
// with a separate loadDict (jieba-rs's API), which must give the same cutter.
global.gc?.();
const heap0 = process.memoryUsage();
const t0 = performance.now();
const js = JiebaCutter.withDict(dict, user);
const tBuild = performance.now() - t0;
global.gc?.();
const heap1 = process.memoryUsage();
const t1 = performance.now();
const js2 = JiebaCutter.withDict(dict);
const tDict = performance.now() - t1;
js2.loadDict(user);
const tLoad = performance.now() - t1 - tDict;
console.log(
  `JS cutter: ${js.size} words, built in ${tBuild.toFixed(0)} ms (default dict alone ${tDict.toFixed(0)} ms, then loadDict(user) ${tLoad.toFixed(0)} ms); ` +
    `heap +${((heap1.heapUsed - heap0.heapUsed) / 1e6).toFixed(1)} MB, array buffers +${((heap1.arrayBuffers - heap0.arrayBuffers) / 1e6).toFixed(1)} MB, ` +
    `rss +${((heap1.rss - heap0.rss) / 1e6).toFixed(1)} MB${global.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`,
);

let compared = 0;
let differing = 0;
function check(label: string, text: string): void {
  compared++;
  const a = native.cut(text, true);
  const b = js.cut(text);
  const c = js2.cut(text);
  if (a.length === b.length && a.every((t, i) => t === b[i] && t === c[i])) return;
  differing++;
  if (differing <= 20) console.log(`DIFF (${label}) ${JSON.stringify(text)}\n  native ${JSON.stringify(a)}\n  js     ${JSON.stringify(b)}\n  js2    ${JSON.stringify(c)}`);
}

const texts: string[] = [];
if (count > 0) {
  const { path } = await ensureCorpus(42, Math.max(count, 10000));
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (texts.length >= count) break;
    try {
      const v = JSON.parse(line) as { text?: unknown };
      if (typeof v.text === 'string') texts.push(v.text);
    } catch {
      // malformed corpus lines are part of the corpus
    }
  }
}
for (const t of texts) {
  check('corpus', t);
  check('corpus, normalised and redacted', redactText(normalizeText(t).text).text);
}
console.log(`corpus: ${texts.length} texts × 2`);

if (csv !== '') {
  // Every field of every row (the file's own layout does not matter: each cell is a text).
  const body = readFileSync(csv, 'utf8');
  let n = 0;
  for (const line of body.split(/\r?\n/)) {
    for (const cell of line.split(',')) {
      if (cell.length === 0) continue;
      check('csv', cell);
      check('csv, normalised and redacted', redactText(normalizeText(cell).text).text);
      n++;
    }
    check('csv line', line);
  }
  check('csv whole', body.slice(0, 200000));
  console.log(`csv: ${n} cells`);
}

const random = rng(20261123);
const words = [...dictionaryWords(Buffer.from(dict).toString('utf8')), ...terms, ...terms, ...terms];
for (let i = 0; i < fuzz; i++) check('fuzz', fuzzText(random, words));
console.log(`fuzz: ${fuzz} strings`);

// Speed: µs per cut over the corpus texts (normalised), both, alternated.
const sample = texts.slice(0, 20000).map((t) => redactText(normalizeText(t).text).text);
if (sample.length > 0) {
  for (let round = 0; round < 3; round++) {
    let s = performance.now();
    for (const t of sample) native.cut(t, true);
    const tn = ((performance.now() - s) * 1000) / sample.length;
    s = performance.now();
    for (const t of sample) js.cut(t);
    const tj = ((performance.now() - s) * 1000) / sample.length;
    s = performance.now();
    for (const t of sample) js.cutRange(t, 0, t.length);
    const tr = ((performance.now() - s) * 1000) / sample.length;
    console.log(`round ${round}: µs per text — native ${tn.toFixed(2)}, js cut ${tj.toFixed(2)}, js cutRange (offsets only) ${tr.toFixed(2)}`);
  }
}

console.log(`${compared} cuts compared, ${differing} differ`);
process.exit(differing === 0 ? 0 : 1);
