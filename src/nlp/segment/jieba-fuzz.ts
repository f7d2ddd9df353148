/**
 * Random texts for comparing jieba implementations (jieba-js.test.ts, bench/jieba-js-compare.ts):
 * dictionary words glued together (the DAG and its ties), random ideographs (the HMM), and every
 * character class jieba-rs treats apart — ASCII letters and digits, `+ # & . _ % -`, CJK and ASCII
 * punctuation, whitespace, CR LF, emoji, full width, CJK extension and compatibility ideographs,
 * U+9FD6… (CJK but outside the HMM's range), redaction placeholders, lone surrogates. Deterministic from the seed.
 */

import { mulberry32 as rng } from '../../core/prng.js';

/** The seeded PRNG the fuzzers use (mulberry32). */
export { rng };

const PIECES = [
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\u3000', '\u00a0',
  '，', '。', '！', '？', '、', '：', '；', '“', '”', '（', '）', '…', '—', '~', '!', ',', '.', '?', '(', ')', '/', ':', '"', "'",
  '+', '#', '&', '_', '%', '-', '.', '..', '%%', '-_-', 'C++', 'C#', 'A&B', '1.5', '2.0T', '3.5%', '100%', '99.9', '1.2.3', '4S店', 'SUV', 'iPhone', 'ABC123', 'x1', 'V8',
  '😀', '🚗', '👍🏻', '𠀀', '𠮷', '𪚥', '㐀', '㑇', '豈', '鶴', '鿖', '鿿', '龥', '〇', 'ＡＢＣ', '１２３', '％', '＋',
  '〔手机号〕', '〔车牌号〕', '〔姓名〕', '〔', '〕', '\ud83d', '\ude02', 'é', 'ß', 'Ω', 'д', 'あ', 'カ', '한',
];

/** A random text of `length` pieces: dictionary words, random ideographs and the pieces above. */
export function fuzzText(random: () => number, words: readonly string[], length = 1 + Math.floor(random() * 40)): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.45) s += words[Math.floor(random() * words.length)] as string;
    else if (r < 0.7) {
      // a run of random ideographs, mostly in the HMM's range U+4E00..U+9FD5
      const n = 1 + Math.floor(random() * 4);
      for (let k = 0; k < n; k++) s += String.fromCharCode(0x4e00 + Math.floor(random() * (0x9fff - 0x4e00 + 1)));
    } else if (r < 0.8) {
      const n = 1 + Math.floor(random() * 6);
      const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      for (let k = 0; k < n; k++) s += abc[Math.floor(random() * abc.length)] as string;
    } else s += PIECES[Math.floor(random() * PIECES.length)] as string;
  }
  return s;
}

/** The words of a jieba dictionary text ("word freq [tag]" per line). */
export function dictionaryWords(dict: string): string[] {
  const words: string[] = [];
  for (const line of dict.split('\n')) {
    const w = line.split(' ')[0];
    if (w !== undefined && w.length > 0) words.push(w);
  }
  return words;
}
