/**
 * Token boundaries of one text, computed lazily from jieba's raw cut. Used to decide whether a
 * single-character term or opinion word (贵, 肉, 差, 高) stands as a word of its own: 价格贵 / 太贵
 * yes, 尊贵 / 高速 / 差不多 no. A token made of a modifier plus the character (太贵, 很大, 偏高) or the
 * character plus a particle (贵了) also counts.
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
    if (this.start === null) this.raw();
    const s = (this.start as Int32Array)[pos] ?? pos;
    const e = (this.end as Int32Array)[pos] ?? pos + 1;
    if (e - s === 1) return true;
    const tok = this.text.slice(s, e);
    if (pos === e - 1 && this.modifiers.has(tok.slice(0, -1))) return true;
    if (pos === s && PARTICLES.has(tok.slice(1))) return true;
    return false;
  }
}
