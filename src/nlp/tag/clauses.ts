/**
 * Clause splitting for aspect-level sentiment. A clause ends at clause punctuation (，。！？；… and
 * their ASCII forms, a full stop only when it is not a decimal point), at a line break, or at a space
 * between two non-ASCII characters (forum posts often use a space as a comma); a contrast word
 * (但是, 不过, 就是, 可是 …) starts a new clause and marks it as contrastive.
 */
export interface Clause {
  text: string;
  /** [start, end) in the full text. */
  start: number;
  end: number;
  index: number;
  /** The clause begins with a contrast word: it usually carries the writer's conclusion. */
  contrast: boolean;
  /** The clause is a question (ends in ？/? or 吗); its opinion words do not count. */
  question: boolean;
}

const BREAK = new Set([...'，,。！!？?；;…\n\r～~']);
export const DEFAULT_CONTRAST_WORDS = ['但是', '不过', '就是', '可是', '然而', '只是', '可惜', '但'];

const QUESTION_TAIL = /(吗|么|嘛|呢)[\s?？~～]*$|^[^?？]*(多少|怎么样|如何|是否|有没有|是不是|会不会|能不能|哪个|哪款)[^?？]*[?？]$/;

function isAscii(c: number): boolean {
  return c < 0x80;
}

export class ClauseSplitter {
  private readonly contrast: string[];
  private readonly contrastFirst: Set<string>;

  constructor(contrastWords: readonly string[] = DEFAULT_CONTRAST_WORDS) {
    // Longest first so 但是 wins over 但.
    this.contrast = [...new Set(contrastWords)].filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
    this.contrastFirst = new Set(this.contrast.map((w) => w[0] as string));
  }

  split(text: string): Clause[] {
    const clauses: Clause[] = [];
    let start = 0;
    let contrast = false;
    const push = (end: number, endsWithQuestion: boolean, nextContrast: boolean): void => {
      // Trim spaces at both ends of the clause.
      let s = start;
      let e = end;
      while (s < e && text.charCodeAt(s) === 0x20) s++;
      while (e > s && text.charCodeAt(e - 1) === 0x20) e--;
      if (e > s) {
        const t = text.slice(s, e);
        clauses.push({
          text: t,
          start: s,
          end: e,
          index: clauses.length,
          contrast,
          question: QUESTION_TAIL.test(endsWithQuestion ? `${t}?` : t),
        });
      }
      contrast = nextContrast;
    };
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const ch = text[i] as string;
      if (BREAK.has(ch)) {
        push(i, ch === '?' || ch === '？', false);
        start = i + 1;
        continue;
      }
      if (ch === '.') {
        const prev = text.charCodeAt(i - 1);
        const next = text.charCodeAt(i + 1);
        if (!(prev >= 0x30 && prev <= 0x39 && next >= 0x30 && next <= 0x39)) {
          push(i, false, false);
          start = i + 1;
        }
        continue;
      }
      if (ch === ' ') {
        const prev = text.charCodeAt(i - 1);
        const next = text.charCodeAt(i + 1);
        if (i > 0 && i + 1 < n && !isAscii(prev) && !isAscii(next)) {
          push(i, false, false);
          start = i + 1;
        }
        continue;
      }
      if (!this.contrastFirst.has(ch)) continue;
      for (const w of this.contrast) {
        if (text.startsWith(w, i)) {
          // A contrast word at the very start of a clause only marks it.
          if (i > start && text.slice(start, i).trim().length > 0) {
            push(i, false, true);
            start = i;
          } else contrast = true;
          i += w.length - 1;
          break;
        }
      }
    }
    push(n, false, false);
    return clauses;
  }
}
