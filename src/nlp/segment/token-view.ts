/**
 * Token boundaries of one text, computed lazily from jieba's raw cut. Used to decide whether a code
 * term or a one-character opinion word (贵, 肉, 差, 高) is a word of the text: 价格贵 / 太贵 yes,
 * 尊贵 / 高速 / 差不多 / 油耗大概 no. A token made of a modifier plus the word (太贵, 很大, 偏高) or
 * the word plus a particle (贵了) also counts.
 */
const PARTICLES = new Set(['了', '的', '啊', '吧', '呀', '啦', '哦', '点', '些', '得', '死']);

export class TokenView {
  private start: Int32Array | null = null;
  private end: Int32Array | null = null;
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
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    let pos = 0;
    for (const tok of raw) {
      for (let i = 0; i < tok.length && pos + i < n; i++) {
        start[pos + i] = pos;
        end[pos + i] = pos + tok.length;
      }
      pos += tok.length;
    }
    this.start = start;
    this.end = end;
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
    if (this.start === null) this.raw();
    const starts = this.start as Int32Array;
    const ends = this.end as Int32Array;
    const s = starts[start] ?? start;
    if (s !== start && !this.modifiers.has(this.text.slice(s, start))) return false;
    const e = ends[end - 1] ?? end;
    if (e !== end && !PARTICLES.has(this.text.slice(end, e))) return false;
    return true;
  }
}
