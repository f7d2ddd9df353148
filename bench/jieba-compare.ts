/**
 * The measurement behind docs/nlp.md's jieba choice: @node-rs/jieba (a dependency) against nodejieba
 * (not a dependency: install it in a scratch directory first, it compiles from source):
 *
 *   mkdir -p /tmp/jieba-cmp && cd /tmp/jieba-cmp && npm init -y && time npm_config_yes=true npm install nodejieba
 *   NODEJIEBA_DIR=/tmp/jieba-cmp npx tsx bench/jieba-compare.ts
 *
 * Prints load time, tokens with the automotive user dictionary, and µs per cut. Asserts nothing.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

interface NodeJieba {
  load(): void;
  cut(s: string, hmm?: boolean): string[];
  insertWord(w: string): boolean;
}

const TERMS = ['顿挫', '拨箱', '给油', '异响', '胎噪', '风噪', '车机', '续航', '掉电', '充电桩', '4S店'];
const TEXTS = [
  '车机常常死机，换挡顿挫，电话〔手机号〕',
  '低速拨箱有顿挫，给油一脚下去没反应',
  '高速胎噪和风噪都比较大，续航掉电很快',
  '去4S店保养，充电桩装了两个月还没装好',
  '动力还行就是油耗太高，空间不错，车机反应慢',
];

function time<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
  return out;
}

function speed(label: string, cut: (s: string) => string[]): void {
  const corpus = Array.from({ length: 20_000 }, (_, i) => `${TEXTS[i % TEXTS.length] as string}${i}`);
  for (const t of corpus.slice(0, 2_000)) cut(t);
  const t0 = performance.now();
  for (const t of corpus) cut(t);
  const ms = performance.now() - t0;
  console.log(`${label}: ${((ms * 1000) / corpus.length).toFixed(1)} µs/cut, ${Math.round((corpus.length / ms) * 1000)} cuts/s`);
}

const rs = time('@node-rs/jieba load', () => Jieba.withDict(dict));
rs.loadDict(Buffer.from(TERMS.map((t) => `${t} 2000000 n`).join('\n')));
for (const t of TEXTS) console.log('  node-rs  ', rs.cut(t, true).join('/'));
speed('@node-rs/jieba', (s) => rs.cut(s, true));

const dir = process.env.NODEJIEBA_DIR;
if (dir === undefined) {
  console.log('NODEJIEBA_DIR not set: skipping nodejieba (see the header for how to install it).');
} else {
  const nj = createRequire(join(dir, 'package.json'))('nodejieba') as NodeJieba;
  time('nodejieba load', () => nj.load());
  for (const t of TERMS) nj.insertWord(t);
  for (const t of TEXTS) console.log('  nodejieba', nj.cut(t, true).join('/'));
  speed('nodejieba', (s) => nj.cut(s, true));
}
