import type { JiebaCutter } from './jieba-js.js';

/**
 * Token boundaries of one text, computed lazily from jieba's raw cut. Used to decide whether a code
 * term or a one-character opinion word (贵, 肉, 差, 高) is a word of the text: 价格贵 / 太贵 yes,
 * 尊贵 / 高速 / 差不多 / 油耗大概 no. A token made of a modifier plus the word (太贵, 很大, 偏高) or
 * the word plus a particle (贵了) also counts.
 *
 * Only the parts of the text that a question is asked about are cut. jieba (jieba-rs `cut`) splits
 * its input into blocks at every character outside its word-character class (CJK ideographs, ASCII
 * letters and digits, + # & . _ % -) and cuts each block on its own; characters outside blocks are
 * one token each (a CR LF pair is one). So a character that no version of that class contains
 * (ASCII punctuation and whitespace, CJK and full-width punctuation: see `isSeparator`) is always a
 * token of its own, and the runs between such separators ("segments") are cut independently: the
 * cut of a segment alone, or of several segments joined by "\n", is exactly the whole-text cut
 * restricted to them. About half of a typical text lies in segments nobody asks about (no code term
 * or one-character opinion word in them), and those are never cut. When the cut function carries a
 * `JiebaCutter` (segmenter.ts), the segment asked about is cut on its own, straight to offsets;
 * otherwise segments that will be asked about can be announced with `hint` so that one call of the
 * cut function cuts them all.
 */
const PARTICLES = new Set(['了', '的', '啊', '吧', '呀', '啦', '哦', '点', '些', '得', '死']);

/** Boundary states per position. */
const NOT_BOUNDARY = 0;
const BOUNDARY = 1;
const UNKNOWN = 2; // strictly inside a segment not cut yet

/** Never inside a jieba block, in any jieba-rs version (see the class comment). */
export function isSeparator(c: number): boolean {
  if (c < 0x80) {
    // Word characters of jieba's block class: a-z A-Z 0-9 + # & . _ % -
    return !(
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x23 ||
      c === 0x26 ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x25 ||
      c === 0x2d
    );
  }
  if (c < 0x2000) return false;
  return (
    c <= 0x206f || // general punctuation (… “” —, and Unicode spaces)
    (c >= 0x3000 && c <= 0x303f) || // CJK symbols and punctuation (、。〔〕「」 and U+3000)
    (c >= 0xff01 && c <= 0xff0f) || // full-width punctuation (，！（）…)
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

/** `isSeparator` for every UTF-16 code unit. */
const SEPARATOR = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) SEPARATOR[c] = isSeparator(c) ? 1 : 0;

export class TokenView {
  /** Per position: BOUNDARY when a token starts there (and at text.length), else NOT_BOUNDARY or UNKNOWN. */
  private boundary: Uint8Array | null = null;
  /** False once the whole text is cut (no segment bookkeeping needed). */
  private segmented = false;
  private segStart: number[] = [];
  private segEnd: number[] = [];
  /** Per segment: 0 = not cut, 1 = hinted (cut with the next batch), 2 = cut. */
  private segState: number[] = [];
  private tokens: readonly string[] | null = null;
  /** Cuts a range of the text to offsets, when the cut function has one. */
  private readonly cutter: JiebaCutter | undefined;

  constructor(
    private readonly text: string,
    private readonly cutRaw: ((text: string) => string[]) & { readonly cutter?: JiebaCutter },
    private readonly modifiers: ReadonlySet<string>,
    raw?: readonly string[],
    /** Characters (flag per UTF-16 code unit) whose segments are hinted from the start. */
    private readonly hintChars?: Uint8Array,
  ) {
    this.cutter = cutRaw.cutter;
    if (raw) this.index(raw);
  }

  /** The raw tokens of the whole text (cutting now if nobody needed them yet). */
  raw(): readonly string[] {
    if (this.tokens === null) this.index(this.cutRaw(this.text));
    return this.tokens as readonly string[];
  }

  private index(raw: readonly string[]): void {
    const n = this.text.length;
    const b = new Uint8Array(n + 1);
    let pos = 0;
    for (const tok of raw) {
      if (pos <= n) b[pos] = BOUNDARY;
      pos += tok.length;
    }
    b[n] = BOUNDARY;
    this.boundary = b;
    this.tokens = raw;
    this.segmented = false;
  }

  /** Separators and segments, no cut yet. */
  private layout(): Uint8Array {
    const text = this.text;
    const n = text.length;
    const b = new Uint8Array(n + 1);
    // Hints only matter when segments are cut in batches (no cutter).
    const hintChars = this.cutter === undefined ? this.hintChars : undefined;
    let seg = -1;
    let inSeg = false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (SEPARATOR[c] === 1) {
        if (inSeg) {
          this.segEnd.push(i);
          inSeg = false;
        }
        // A separator is a token of its own, except LF after CR (one whitespace token).
        b[i] = c === 0x0a && i > 0 && text.charCodeAt(i - 1) === 0x0d ? NOT_BOUNDARY : BOUNDARY;
        continue;
      }
      if (!inSeg) {
        seg++;
        inSeg = true;
        this.segStart.push(i);
        this.segState.push(0);
        b[i] = BOUNDARY;
      } else b[i] = UNKNOWN;
      if (hintChars !== undefined && hintChars[c] === 1) this.segState[seg] = 1;
    }
    if (inSeg) this.segEnd.push(n);
    b[n] = BOUNDARY;
    // A one-character segment is one token.
    for (let s = 0; s < this.segStart.length; s++) if ((this.segEnd[s] as number) - (this.segStart[s] as number) === 1) this.segState[s] = 2;
    this.boundary = b;
    this.segmented = true;
    return b;
  }

  private bounds(): Uint8Array {
    return this.boundary ?? this.layout();
  }

  /**
   * Announces that [start, end) will be asked about: its segments are cut together with the others
   * announced, in one jieba call, when the first question needs a cut. Only an optimisation.
   */
  hint(start: number, end = start + 1): void {
    this.bounds();
    if (!this.segmented || this.cutter !== undefined) return; // fully cut already, or cut per segment anyway
    const a = this.segmentAt(start);
    if (a >= 0 && this.segState[a] === 0) this.segState[a] = 1;
    const z = this.segmentAt(end - 1);
    if (z >= 0 && this.segState[z] === 0) this.segState[z] = 1;
  }

  /** The segment holding the character at `pos`, or −1 (a separator). */
  private segmentAt(pos: number): number {
    const starts = this.segStart;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return hi >= 0 && (starts[lo] as number) <= pos && pos < (this.segEnd[lo] as number) ? lo : -1;
  }

  /** Cuts the segment holding position `pos` together with every hinted segment not cut yet. */
  private resolve(pos: number): void {
    const cutter = this.cutter;
    if (cutter !== undefined) {
      const s = this.segmentAt(pos);
      const start = this.segStart[s] as number;
      const end = this.segEnd[s] as number;
      const count = cutter.cutRange(this.text, start, end);
      const ends = cutter.ends;
      const b = this.boundary as Uint8Array;
      for (let i = start + 1; i < end; i++) b[i] = NOT_BOUNDARY;
      for (let k = 0; k < count - 1; k++) b[ends[k] as number] = BOUNDARY;
      this.segState[s] = 2;
      return;
    }
    this.segState[this.segmentAt(pos)] = 1;
    const segs: number[] = [];
    let joined = '';
    for (let s = 0; s < this.segState.length; s++) {
      if (this.segState[s] !== 1) continue;
      joined += segs.length === 0 ? this.text.slice(this.segStart[s], this.segEnd[s]) : `\n${this.text.slice(this.segStart[s], this.segEnd[s])}`;
      segs.push(s);
    }
    const raw = this.cutRaw(joined);
    const b = this.boundary as Uint8Array;
    // Walk the tokens segment by segment; between segments the "\n" is one token.
    let t = 0;
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k] as number;
      const start = this.segStart[s] as number;
      const end = this.segEnd[s] as number;
      if (k > 0) {
        if (raw[t] !== '\n') return this.fallback();
        t++;
      }
      for (let i = start + 1; i < end; i++) b[i] = NOT_BOUNDARY;
      let pos2 = start;
      while (pos2 < end) {
        const tok = raw[t++];
        if (tok === undefined || tok.length === 0) return this.fallback();
        pos2 += tok.length;
        if (pos2 < end) b[pos2] = BOUNDARY;
      }
      if (pos2 !== end) return this.fallback();
      this.segState[s] = 2;
    }
    if (t !== raw.length) this.fallback();
  }

  /** The segment cut did not line up (never seen): cut the whole text instead. */
  private fallback(): void {
    this.index(this.cutRaw(this.text));
  }

  private at(pos: number): number {
    const b = this.bounds();
    const v = b[pos] as number;
    if (v !== UNKNOWN) return v;
    this.resolve(pos);
    return (this.boundary as Uint8Array)[pos] as number;
  }

  /** Does the one character at `pos` stand as a word of its own? */
  standsAlone(pos: number): boolean {
    return this.aligned(pos, pos + 1);
  }

  /**
   * Does [start, end) begin and end on token boundaries? A term that cuts a word in two (油耗大 in
   * 油耗大概, 贵 in 尊贵) is not a mention. A modifier before it in the same token (太贵) or a
   * particle after it (贵了) is allowed.
   */
  aligned(start: number, end: number): boolean {
    if (this.at(start) !== BOUNDARY) {
      // Inside a segment that is now cut: its start is a boundary, so the scan stays in it.
      const b = this.boundary as Uint8Array;
      let s = start - 1;
      while (s > 0 && b[s] !== BOUNDARY) s--;
      if (!this.modifiers.has(this.text.slice(s, start))) return false;
    }
    if (this.at(end) !== BOUNDARY) {
      const b = this.boundary as Uint8Array;
      let e = end + 1;
      while (e < b.length - 1 && b[e] !== BOUNDARY) e++;
      if (!PARTICLES.has(this.text.slice(end, e))) return false;
    }
    return true;
  }
}
