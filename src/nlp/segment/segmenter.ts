import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Word segmentation with jieba (@node-rs/jieba: the Rust jieba-rs through N-API; see docs/nlp.md for
 * the comparison with nodejieba). The default dictionary is extended with every code-frame term at a
 * high frequency, so each term comes out as one token (顿挫, 拨箱, 给油, 4S店). Redaction
 * placeholders (〔手机号〕) are kept as single tokens. Tagging does not use the tokens (see
 * tag/matcher.ts); they are reported in the output for search and topic work downstream.
 */
export interface Segmenter {
  cut(text: string): string[];
}

/** Frequency given to user terms: above any default-dictionary word that could split them. */
const USER_TERM_FREQ = 2_000_000;

let base: Uint8Array | null = null;

export function userDictionary(terms: Iterable<string>): string {
  const lines: string[] = [];
  for (const t of terms) {
    // jieba's dictionary format is "word freq [tag]" split on spaces: terms with spaces cannot be one token.
    if (t.length === 0 || /\s/.test(t)) continue;
    lines.push(`${t} ${USER_TERM_FREQ} n`);
  }
  return lines.join('\n');
}

export function createSegmenter(terms: Iterable<string>): Segmenter {
  base ??= dict;
  const jieba = Jieba.withDict(base);
  const user = userDictionary(terms);
  if (user.length > 0) jieba.loadDict(Buffer.from(user, 'utf8'));
  const cutPlain = (s: string, out: string[]): void => {
    if (s.length === 0) return;
    for (const tok of jieba.cut(s, true)) if (tok.trim().length > 0) out.push(tok);
  };
  return {
    cut(text: string): string[] {
      const out: string[] = [];
      let pos = 0;
      for (;;) {
        const open = text.indexOf('〔', pos);
        const close = open === -1 ? -1 : text.indexOf('〕', open + 1);
        if (open === -1 || close === -1) {
          cutPlain(text.slice(pos), out);
          return out;
        }
        cutPlain(text.slice(pos, open), out);
        out.push(text.slice(open, close + 1));
        pos = close + 1;
      }
    },
  };
}
