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
  /** Tokens for the output: whitespace dropped, placeholders whole. */
  cut(text: string): string[];
  /** jieba's raw cut: the tokens concatenate back to `text` exactly (used for token boundaries). */
  cutRaw(text: string): string[];
  /** The output tokens made from a raw cut of the same text (no second cut). */
  fromRaw(raw: readonly string[]): string[];
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
  const fromRaw = (raw: readonly string[]): string[] => {
    const out: string[] = [];
    let placeholder: string | null = null;
    for (const tok of raw) {
      if (placeholder !== null) {
        placeholder += tok;
        if (tok.includes('〕')) {
          out.push(placeholder);
          placeholder = null;
        }
        continue;
      }
      if (tok.startsWith('〔') && !tok.includes('〕')) {
        placeholder = tok;
        continue;
      }
      if (tok.trim().length > 0) out.push(tok);
    }
    if (placeholder !== null) out.push(placeholder);
    return out;
  };
  const cutRaw = (text: string): string[] => (text.length === 0 ? [] : jieba.cut(text, true));
  return {
    cutRaw,
    fromRaw,
    cut: (text: string): string[] => fromRaw(cutRaw(text)),
  };
}
