import { HMM_EMIT, HMM_START, HMM_TRANS } from './jieba-hmm-model.js';

/**
 * A TypeScript port of jieba-rs 0.10.3's `Jieba::cut(sentence, hmm = true)` — the code that
 * @node-rs/jieba 2.0.3 runs — giving the same tokens for the same dictionaries (docs/nlp.md,
 * "Segment"; the equality is checked against @node-rs/jieba by jieba-js.test.ts and
 * bench/jieba-compare.ts). jieba-rs is MIT-licensed (Copyright (c) 2018 messense); so is its HMM
 * model (jieba-hmm-model.ts).
 *
 * What it reproduces, step by step (jieba-rs src/lib.rs and src/hmm.rs):
 *  - blocks: maximal runs of CJK ideographs (the ranges of `is_cjk`, supplementary planes too),
 *    ASCII letters and digits and `+ # & . _ % -`; every other character is a token of its own,
 *    except CR LF (one token);
 *  - per block, the DAG of dictionary words starting at each character and the best route from
 *    the right: ln(freq) − ln(total) + route[end], ties to the longer word; a character that starts
 *    no word costs ln(1) − ln(total);
 *  - runs of one-character route steps are buffered: one character is a token, a run that is a
 *    dictionary word is split into characters, anything else goes to the HMM;
 *  - the HMM splits its run into 一-鿕 (U+4E00–U+9FD5) runs, cut by Viterbi over B/E/M/S, and
 *    the rest, cut by jieba's RE_SKIP `[a-zA-Z0-9]+(?:.\d+)?%?` (matches and the text between
 *    them are tokens);
 *  - `load_dict`: a word already present gets the new frequency (its tag is kept), and the total
 *    is re-summed over all words after every load.
 * Floating point: the same additions in the same order as jieba-rs, and ln computed correctly
 * rounded (`lnRounded`), which is what glibc's `log` (behind Rust's `f64::ln`) returns for these
 * integers; V8's `Math.log` is off by one ulp for ~1% of integers (ln 3, for one), and a one-ulp
 * difference flips routes that tie.
 *
 * Strings are UTF-16 here and UTF-8 in jieba-rs; offsets are UTF-16 code units and a surrogate
 * pair is one character. A lone surrogate (not valid UTF-8) is a token of its own, given as U+FFFD
 * by `cut` as the N-API binding does (it converts the string to UTF-8 with replacement first).
 */

const MIN_FLOAT = -3.14e100;
const HAN_LO = 0x4e00;
const HAN_HI = 0x9fd5;

function utf8(dict: string | Uint8Array): string {
  return typeof dict === 'string' ? dict : Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8');
}

/** Emission log-probabilities for U+4E00..U+9FD5, four per character (B E M S). */
let emitTable: Float64Array | null = null;

function emissions(): Float64Array {
  if (emitTable !== null) return emitTable;
  const t = new Float64Array((HAN_HI - HAN_LO + 1) * 4).fill(MIN_FLOAT);
  for (const line of HMM_EMIT.split('\n')) {
    const c = line.codePointAt(0) as number;
    if (c < HAN_LO || c > HAN_HI) continue; // never looked up (the HMM only sees 一-鿕 runs)
    const fields = line.slice(c > 0xffff ? 2 : 1).split(' ');
    for (let s = 0; s < 4; s++) {
      const f = fields[s] as string;
      if (f.length > 0) t[(c - HAN_LO) * 4 + s] = -Number(f);
    }
  }
  emitTable = t;
  return t;
}

// --- ln correctly rounded (double-double Newton step on Math.log) -------------------------------

const SPLIT = 134217729; // 2^27 + 1

/** a·b as hi + lo exactly (Dekker). */
function twoProd(a: number, b: number, out: Float64Array): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah + al)·(bh + bl) in double-double. */
function ddMul(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  twoProd(ah, bh, out);
  const p = out[0] as number;
  const e = (out[1] as number) + (ah * bl + al * bh);
  const s = p + e;
  out[0] = s;
  out[1] = e - (s - p);
}

/** (ah + al) + (bh + bl) in double-double. */
function ddAdd(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  const r = s + e;
  out[0] = r;
  out[1] = e - (r - s);
}

const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;

/**
 * ln(x) rounded to the nearest double, for a positive integer x < 2^53: Math.log's result (within
 * an ulp) corrected by ln(x·e^−y) ≈ x·e^−y − 1, with e^−y in double-double (~100 bits).
 */
export function lnRounded(x: number): number {
  if (x === 0) return -Infinity;
  if (x === 1) return 0;
  const y = Math.log(x);
  const dd = new Float64Array(2);
  // z = −y = k·ln2 + t, |t| ≤ ln2/2
  const k = Math.round(-y / LN2_HI);
  twoProd(k, LN2_HI, dd);
  let th = -y - (dd[0] as number);
  let tl = -(dd[1] as number) - k * LN2_LO;
  const s0 = th + tl;
  tl = tl - (s0 - th);
  th = s0;
  // e^t by Taylor series in double-double: the terms t^i / i! are (ph, pl), the sum (sh, sl).
  let sh = 1;
  let sl = 0;
  let ph = 1;
  let pl = 0;
  for (let i = 1; i <= 40; i++) {
    ddMul(ph, pl, th, tl, dd);
    // (dd[0] + dd[1]) / i in double-double: q1 = hi / i, then the remainder over i.
    const hi = dd[0] as number;
    const lo = dd[1] as number;
    const q1 = hi / i;
    twoProd(q1, i, dd);
    const q2 = (hi - (dd[0] as number) - (dd[1] as number) + lo) / i;
    ph = q1 + q2;
    pl = q2 - (ph - q1);
    ddAdd(sh, sl, ph, pl, dd);
    sh = dd[0] as number;
    sl = dd[1] as number;
    if (Math.abs(ph) < 1e-36) break;
  }
  // e^−y = 2^k · e^t;  r = x·e^−y − 1
  const scale = 2 ** k;
  ddMul(sh * scale, sl * scale, x, 0, dd);
  ddAdd(dd[0] as number, dd[1] as number, -1, 0, dd);
  const r = (dd[0] as number) + (dd[1] as number);
  return y + (r - (r * r) / 2);
}

// --- the dictionary trie ---------------------------------------------------------------------

/** Unicode White_Space (Rust's `char::is_whitespace`, used by `split_whitespace`). */
function isWhite(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** jieba-rs `is_cjk`, for a code point. */
function isCjk(c: number): boolean {
  if (c < 0x3400) return false;
  if (c <= 0xffff) return c <= 0x4dbf || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
  return (c >= 0x20000 && c <= 0x2a6df) || (c >= 0x2a700 && c <= 0x2ebef) || (c >= 0x2f800 && c <= 0x2fa1f);
}

/** ASCII characters of jieba's default block class (letters, digits, + # & . _ % -). */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_WORD[c] =
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x23 || c === 0x26 || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2d
      ? 1
      : 0;
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** Marks a trie node where a dictionary word ends (in the node's second key word, above the code unit). */
const WORD = 0x10000;

function hash(p: number, c: number): number {
  return Math.imul(p, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca77);
}

export class JiebaCutter {
  // Trie over UTF-16 code units, in one open-addressing table: a node IS its slot. Slot h is 16
  // bytes: keys[4h] = parent + 2 (0: empty; the root is −1, so 1), keys[4h + 1] = code unit | WORD,
  // and, as a double at score[2h + 1], ln(freq) − ln(total) of the word ending there — one cache
  // line answers "is this the child", "does a word end here" and "what does it add to the route".
  // The children of the root are also indexed by code unit in `rootChild`.
  private rootChild = new Int32Array(0x10000).fill(-1);
  private keys: Int32Array;
  private mask: number;
  private nodes = 0;
  /** Per node: the word ending there (an index into `freq`), when it is marked WORD. */
  private wordOf: Int32Array;
  /** The same buffer as `keys`, as doubles (see above). */
  private score: Float64Array;
  /** Per word: frequency. */
  private freq: number[] = [];
  private total = 0;
  private logTotal = -Infinity;
  private readonly lnCache = new Map<number, number>();

  // Scratch, grown on demand.
  private routeProb = new Float64Array(256);
  private routeEnd = new Int32Array(256);
  private viterbiV = new Float64Array(1024);
  private viterbiPrev = new Uint8Array(1024);
  private path = new Uint8Array(256);
  /** Token end offsets of the last cut (absolute offsets in the text), `count` of them. */
  ends = new Int32Array(256);
  count = 0;

  /** An empty dictionary with room for about `capacity` trie nodes (more are made room for as needed). */
  constructor(capacity = 1 << 12) {
    let size = 1024;
    while (size < capacity * 2) size <<= 1;
    this.keys = new Int32Array(size * 4);
    this.score = new Float64Array(this.keys.buffer);
    this.wordOf = new Int32Array(size);
    this.mask = size - 1;
  }

  /**
   * `Jieba::with_dict` followed by `load_dict` of each further dictionary ("word freq [tag]" per
   * line); the scores are computed once, at the end.
   */
  static withDict(dict: string | Uint8Array, ...more: (string | Uint8Array)[]): JiebaCutter {
    const texts = [dict, ...more].map(utf8);
    // Trie nodes: about a sixth of the dictionary's code units for jieba's dictionaries (498,114 of
    // 3.04 M for the default one).
    const j = new JiebaCutter(Math.max(1024, Math.ceil(texts.reduce((n, t) => n + t.length, 0) / 6)));
    for (const t of texts) j.parse(t);
    j.rescore();
    return j;
  }

  /** The child of node `p` (−1: the root) by code unit `c`, or −1. */
  private child(p: number, c: number): number {
    if (p < 0) return this.rootChild[c] as number;
    const keys = this.keys;
    const mask = this.mask;
    const pk = p + 2;
    let h = hash(p, c) & mask;
    for (;;) {
      const k = keys[4 * h] as number;
      if (k === 0) return -1;
      if (k === pk && ((keys[4 * h + 1] as number) & 0xffff) === c) return h;
      h = (h + 1) & mask;
    }
  }

  private addChild(parent: number, c: number): number {
    let p = parent;
    if ((this.nodes + 1) * 5 > (this.mask + 1) * 3) {
      // At most 60% full: a larger table, where the parent has moved too.
      const moved = this.rehash();
      if (p >= 0) p = moved[p] as number;
    }
    const keys = this.keys;
    const mask = this.mask;
    let h = hash(p, c) & mask;
    while (keys[4 * h] !== 0) h = (h + 1) & mask;
    keys[4 * h] = p + 2;
    keys[4 * h + 1] = c;
    this.wordOf[h] = -1;
    if (p < 0) this.rootChild[c] = h;
    this.nodes++;
    return h;
  }

  /**
   * A table twice as large: every node moves (parents first, since a child's key names its parent).
   * Returns where each old slot went.
   */
  private rehash(): Int32Array {
    const oldKeys = this.keys;
    const oldWordOf = this.wordOf;
    const oldSize = this.mask + 1;
    const size = oldSize * 2;
    const mask = size - 1;
    const keys = new Int32Array(size * 4);
    const wordOf = new Int32Array(size);
    const moved = new Int32Array(oldSize).fill(-1);
    const place = (s: number): number => {
      const done = moved[s] as number;
      if (done >= 0) return done;
      const p = (oldKeys[4 * s] as number) - 2;
      const np = p < 0 ? -1 : place(p);
      const u = oldKeys[4 * s + 1] as number;
      const c = u & 0xffff;
      let h = hash(np, c) & mask;
      while (keys[4 * h] !== 0) h = (h + 1) & mask;
      keys[4 * h] = np + 2;
      keys[4 * h + 1] = u;
      wordOf[h] = oldWordOf[s] as number;
      if (np < 0) this.rootChild[c] = h;
      moved[s] = h;
      return h;
    };
    for (let s = 0; s < oldSize; s++) if (oldKeys[4 * s] !== 0) place(s);
    this.keys = keys;
    this.score = new Float64Array(keys.buffer); // the scores are set again at the end of loadDict
    this.wordOf = wordOf;
    this.mask = mask;
    return moved;
  }

  private ln(freq: number): number {
    let v = this.lnCache.get(freq);
    if (v === undefined) {
      v = lnRounded(freq);
      this.lnCache.set(freq, v);
    }
    return v;
  }

  /** `Jieba::load_dict`: adds words (a word already present takes the new frequency), re-sums the total. */
  loadDict(dict: string | Uint8Array): void {
    this.parse(utf8(dict));
    this.rescore();
  }

  /** Adds the lines of a dictionary to the trie. */
  private parse(text: string): void {
    const n = text.length;
    let pos = 0;
    let lineNo = 0;
    while (pos < n) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = n;
      lineNo++;
      // First whitespace-separated field: the word; second: the frequency (0 when absent).
      let i = pos;
      while (i < eol && isWhite(text.charCodeAt(i))) i++;
      if (i < eol) {
        const ws = i;
        let node = -1;
        for (; i < eol; i++) {
          const c = text.charCodeAt(i);
          if ((c <= 32 || (c >= 0x85 && c <= 0x3000)) && isWhite(c)) break;
          let next = this.child(node, c);
          if (next < 0) next = this.addChild(node, c);
          node = next;
        }
        while (i < eol && isWhite(text.charCodeAt(i))) i++;
        let freq = 0;
        if (i < eol) {
          const fs = i;
          if (text.charCodeAt(i) === 0x2b) i++; // Rust's usize parse takes a leading +
          let digits = 0;
          for (; i < eol; i++) {
            const d = text.charCodeAt(i) - 0x30;
            if (d < 0 || d > 9) break;
            freq = freq * 10 + d;
            digits++;
          }
          if (digits === 0 || (i < eol && !isWhite(text.charCodeAt(i))) || !Number.isSafeInteger(freq)) {
            let fe = fs;
            while (fe < eol && !isWhite(text.charCodeAt(fe))) fe++;
            throw new Error(`Dictionary line ${lineNo} (${text.slice(ws, eol).trim()}): frequency ${text.slice(fs, fe)} is not a valid integer.`);
          }
        }
        if (((this.keys[4 * node + 1] as number) & WORD) !== 0) this.freq[this.wordOf[node] as number] = freq;
        else {
          this.keys[4 * node + 1] = (this.keys[4 * node + 1] as number) | WORD;
          this.wordOf[node] = this.freq.length;
          this.freq.push(freq);
        }
      }
      pos = eol + 1;
    }
  }

  /** Re-sums the total (over every word, as `load_dict` does) and sets every word's score. */
  private rescore(): void {
    let total = 0;
    for (const f of this.freq) total += f;
    this.total = total;
    this.logTotal = this.ln(total);
    const size = this.mask + 1;
    const keys = this.keys;
    const score = this.score;
    for (let h = 0; h < size; h++) {
      if (((keys[4 * h + 1] as number) & WORD) !== 0) score[2 * h + 1] = this.ln(this.freq[this.wordOf[h] as number] as number) - this.logTotal;
    }
  }

  /** Words in the dictionary. */
  get size(): number {
    return this.freq.length;
  }

  /** `Jieba::has_word`. */
  hasWord(word: string): boolean {
    return this.isWord(word, 0, word.length);
  }

  /** Is text[start, end) a dictionary word? */
  private isWord(text: string, start: number, end: number): boolean {
    let node = -1;
    for (let i = start; i < end; i++) {
      node = this.child(node, text.charCodeAt(i));
      if (node < 0) return false;
    }
    return node >= 0 && ((this.keys[4 * node + 1] as number) & WORD) !== 0;
  }

  /** `cut(text, true)`: the tokens, concatenating back to `text`. */
  cut(text: string): string[] {
    const n = this.cutRange(text, 0, text.length);
    const out = new Array<string>(n);
    const ends = this.ends;
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const e = ends[k] as number;
      // A lone surrogate is a token of its own; the N-API binding sees it as U+FFFD.
      out[k] = e - pos === 1 && (text.charCodeAt(pos) & 0xf800) === 0xd800 ? '\ufffd' : text.slice(pos, e);
      pos = e;
    }
    return out;
  }

  /**
   * Cuts text[start, end) as jieba cuts a text equal to that slice, leaving the tokens' end offsets
   * (absolute) in `ends[0 … count)`; returns the count. `start` and `end` must not fall inside a
   * surrogate pair or a CR LF pair.
   */
  cutRange(text: string, start: number, end: number): number {
    this.count = 0;
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      const w = this.charWidth(text, i, end);
      if (this.inBlock(text, i, c)) {
        let j = i + w;
        while (j < end && this.inBlock(text, j, text.charCodeAt(j))) j += this.charWidth(text, j, end);
        this.cutBlock(text, i, j);
        i = j;
      } else {
        // Outside blocks: one token per character, CR LF together.
        const e = c === 0x0d && i + 1 < end && text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + w;
        this.push(e);
        i = e;
      }
    }
    return this.count;
  }

  private charWidth(text: string, i: number, end: number): number {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return 2;
    }
    return 1;
  }

  private inBlock(text: string, i: number, c: number): boolean {
    if (c < 0x80) return ASCII_WORD[c] === 1;
    if (c < 0x3400) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      return isCjk(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
    }
    return isCjk(c);
  }

  private push(e: number): void {
    if (this.count === this.ends.length) {
      const next = new Int32Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.ends[this.count++] = e;
  }

  /** jieba-rs `cut_dag_hmm` over one block text[bs, be). */
  private cutBlock(text: string, bs: number, be: number): void {
    const n = be - bs;
    if (n + 1 > this.routeProb.length) {
      let size = this.routeProb.length;
      while (size < n + 1) size *= 2;
      this.routeProb = new Float64Array(size);
      this.routeEnd = new Int32Array(size);
    }
    const routeProb = this.routeProb;
    const routeEnd = this.routeEnd;
    const score = this.score;
    const rootChild = this.rootChild;
    const keys = this.keys;
    const mask = this.mask;
    const log1 = 0 - this.logTotal;
    routeProb[n] = 0;
    routeEnd[n] = n;
    let next = n;
    for (let i = n - 1; i >= 0; i--) {
      const c = text.charCodeAt(bs + i);
      // The second half of a surrogate pair starts no character.
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const h = text.charCodeAt(bs + i - 1);
        if (h >= 0xd800 && h <= 0xdbff) continue;
      }
      // Every dictionary word starting at i (the DAG), scored as it is found.
      let best = 0;
      let bestEnd = -1;
      let node = rootChild[c] as number;
      let j = i + 1;
      while (node >= 0) {
        if (((keys[4 * node + 1] as number) & WORD) !== 0) {
          const prob = (score[2 * node + 1] as number) + (routeProb[j] as number);
          if (bestEnd < 0 || prob > best || (prob === best && j > bestEnd)) {
            best = prob;
            bestEnd = j;
          }
        }
        if (j >= n) break;
        const u = text.charCodeAt(bs + j);
        const pk = node + 2;
        let h = hash(node, u) & mask;
        for (;;) {
          const k = keys[4 * h] as number;
          if (k === 0) {
            h = -1;
            break;
          }
          if (k === pk && ((keys[4 * h + 1] as number) & 0xffff) === u) break;
          h = (h + 1) & mask;
        }
        node = h;
        j++;
      }
      if (bestEnd < 0) {
        routeProb[i] = log1 + (routeProb[next] as number);
        routeEnd[i] = next;
      } else {
        routeProb[i] = best;
        routeEnd[i] = bestEnd;
      }
      next = i;
    }
    let x = 0;
    let left = -1;
    while (x < n) {
      const y = routeEnd[x] as number;
      if (y - x === 1 || (y - x === 2 && this.charWidth(text, bs + x, be) === 2)) {
        if (left < 0) left = x;
      } else {
        if (left >= 0) {
          this.flush(text, bs + left, bs + x);
          left = -1;
        }
        this.push(bs + y);
      }
      x = y;
    }
    if (left >= 0) this.flush(text, bs + left, be);
  }

  /** A buffered run of one-character route steps, text[a, b). */
  private flush(text: string, a: number, b: number): void {
    if (b - a === 1 || (b - a === 2 && this.charWidth(text, a, b) === 2)) {
      this.push(b);
      return;
    }
    if (this.isWord(text, a, b)) {
      for (let i = a; i < b; ) {
        i += this.charWidth(text, i, b);
        this.push(i);
      }
      return;
    }
    this.hmm(text, a, b);
  }

  /** jieba-rs `hmm::cut_with_allocated_memory` over text[a, b). */
  private hmm(text: string, a: number, b: number): void {
    let i = a;
    while (i < b) {
      const c = text.charCodeAt(i);
      if (c >= HAN_LO && c <= HAN_HI) {
        let j = i + 1;
        while (j < b) {
          const d = text.charCodeAt(j);
          if (d < HAN_LO || d > HAN_HI) break;
          j++;
        }
        if (j - i > 1) this.viterbi(text, i, j);
        else this.push(j);
        i = j;
      } else {
        let j = i + 1;
        while (j < b) {
          const d = text.charCodeAt(j);
          if (d >= HAN_LO && d <= HAN_HI) break;
          j++;
        }
        this.skip(text, i, j);
        i = j;
      }
    }
  }

  /** RE_SKIP `[a-zA-Z0-9]+(?:.\d+)?%?` over text[a, b) (no 一-鿕 in it): matches and gaps are tokens. */
  private skip(text: string, a: number, b: number): void {
    let last = a;
    let i = a;
    while (i < b) {
      if (!isAlnum(text.charCodeAt(i))) {
        i += this.charWidth(text, i, b);
        continue;
      }
      // A match starts at i.
      if (i > last) this.push(i);
      let j = i + 1;
      while (j < b && isAlnum(text.charCodeAt(j))) j++;
      // (?:.\d+)? — any one character (not LF) and then digits (only ASCII ones can occur here).
      if (j < b && text.charCodeAt(j) !== 0x0a) {
        const w = this.charWidth(text, j, b);
        let k = j + w;
        if (k < b && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) {
          while (k < b && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
          j = k;
        }
      }
      if (j < b && text.charCodeAt(j) === 0x25) j++;
      this.push(j);
      last = j;
      i = j;
    }
    if (last < b) this.push(b);
  }

  /** Viterbi over a run of 一-鿕 characters text[a, b), b − a ≥ 2 (jieba-rs `hmm::viterbi`). */
  private viterbi(text: string, a: number, b: number): void {
    const C = b - a;
    if (C * 4 > this.viterbiV.length) {
      let size = this.viterbiV.length;
      while (size < C * 4) size *= 2;
      this.viterbiV = new Float64Array(size);
      this.viterbiPrev = new Uint8Array(size);
      this.path = new Uint8Array(size >> 2);
    }
    const v = this.viterbiV;
    const prev = this.viterbiPrev;
    const emit = emissions();
    // States: 0 B, 1 E, 2 M, 3 S.
    const T = HMM_TRANS;
    const tBE = T[0][1];
    const tBM = T[0][2];
    const tEB = T[1][0];
    const tES = T[1][3];
    const tME = T[2][1];
    const tMM = T[2][2];
    const tSB = T[3][0];
    const tSS = T[3][3];
    let e = (text.charCodeAt(a) - HAN_LO) * 4;
    v[0] = HMM_START[0] + (emit[e] as number);
    v[1] = HMM_START[1] + (emit[e + 1] as number);
    v[2] = HMM_START[2] + (emit[e + 2] as number);
    v[3] = HMM_START[3] + (emit[e + 3] as number);
    for (let t = 1; t < C; t++) {
      e = (text.charCodeAt(a + t) - HAN_LO) * 4;
      const p = (t - 1) * 4;
      const q = t * 4;
      const vB = v[p] as number;
      const vE = v[p + 1] as number;
      const vM = v[p + 2] as number;
      const vS = v[p + 3] as number;
      // Each state's two allowed predecessors; on a tie the one with the larger state index
      // (Rust's max_by over (prob, state) tuples).
      // B ← E | S
      let x = vE + tEB + (emit[e] as number);
      let y = vS + tSB + (emit[e] as number);
      if (y >= x) {
        v[q] = y;
        prev[q] = 3;
      } else {
        v[q] = x;
        prev[q] = 1;
      }
      // E ← B | M
      x = vB + tBE + (emit[e + 1] as number);
      y = vM + tME + (emit[e + 1] as number);
      if (y >= x) {
        v[q + 1] = y;
        prev[q + 1] = 2;
      } else {
        v[q + 1] = x;
        prev[q + 1] = 0;
      }
      // M ← M | B
      x = vM + tMM + (emit[e + 2] as number);
      y = vB + tBM + (emit[e + 2] as number);
      if (x >= y) {
        v[q + 2] = x;
        prev[q + 2] = 2;
      } else {
        v[q + 2] = y;
        prev[q + 2] = 0;
      }
      // S ← S | E
      x = vS + tSS + (emit[e + 3] as number);
      y = vE + tES + (emit[e + 3] as number);
      if (x >= y) {
        v[q + 3] = x;
        prev[q + 3] = 3;
      } else {
        v[q + 3] = y;
        prev[q + 3] = 1;
      }
    }
    const last = (C - 1) * 4;
    let state = (v[last + 3] as number) >= (v[last + 1] as number) ? 3 : 1;
    const path = this.path;
    path[C - 1] = state;
    for (let t = C - 1; t > 0; t--) {
      state = prev[t * 4 + state] as number;
      path[t - 1] = state;
    }
    let next = 0;
    for (let t = 0; t < C; t++) {
      const s = path[t] as number;
      if (s === 1 || s === 3) {
        this.push(a + t + 1);
        next = t + 1;
      }
    }
    if (next < C) this.push(b);
  }
}
