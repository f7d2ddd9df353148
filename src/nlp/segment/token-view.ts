/**
 * Token boundaries of one text, computed lazily from jieba's raw cut. Used to decide whether a code
 * term or a one-character opinion word (贵, 肉, 差, 高) is a word of the text: 价格贵 / 太贵 yes,
 * 尊贵 / 高速 / 差不多 / 油耗大概 no. A token made of a modifier plus the word (太贵, 很大, 偏高) or
 * the word plus a particle (贵了) also counts.
 */
const PARTICLES = new Set(['了', '的', '啊', '吧', '呀', '啦', '哦', '点', '些', '得', '死']);

export class TokenView {
  /** boundary[i] = 1 when a token starts at i (and at text.length). */
  private boundary: Uint8Array | null = null;
  private tokens: readonly string[] | null = null;

  constructor(
    private readonly text: string,
    private readonly cutRaw: (text: string) => string[],
    private readonly modifiers: ReadonlySet<string>,
    raw?: readonly string[],
  ) {
    if (raw) this.index(raw);
  }

  /** The raw tokens (cutting now if nobody needed them yet). */
  raw(): readonly string[] {
    if (this.tokens === null) this.index(this.cutRaw(this.text));
    return this.tokens as readonly string[];
  }

  private index(raw: readonly string[]): void {
    const n = this.text.length;
    const b = new Uint8Array(n + 1);
    let pos = 0;
    for (const tok of raw) {
      if (pos <= n) b[pos] = 1;
      pos += tok.length;
    }
    b[n] = 1;
    this.boundary = b;
    this.tokens = raw;
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
    if (this.boundary === null) this.raw();
    const b = this.boundary as Uint8Array;
    if (b[start] !== 1) {
      let s = start - 1;
      while (s > 0 && b[s] !== 1) s--;
      if (!this.modifiers.has(this.text.slice(s, start))) return false;
    }
    if (b[end] !== 1) {
      let e = end + 1;
      while (e < b.length - 1 && b[e] !== 1) e++;
      if (!PARTICLES.has(this.text.slice(end, e))) return false;
    }
    return true;
  }
}
