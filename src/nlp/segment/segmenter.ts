import { dict } from '@node-rs/jieba/dict.js';
import { JiebaCutter } from './jieba-js.js';

/**
 * Word segmentation with jieba: `JiebaCutter` (jieba-js.ts), a TypeScript port of the jieba-rs code
 * behind @node-rs/jieba that gives the same tokens without crossing N-API (docs/nlp.md, "Segment"),
 * over jieba's default dictionary as @node-rs/jieba ships it. The default dictionary is extended
 * with every code-frame term at a high frequency, so each term comes out as one token (顿挫, 拨箱,
 * 给油, 4S店). Redaction placeholders (〔手机号〕) are kept as single tokens. Tagging matches terms on
 * characters (tag/matcher.ts) and asks only for token boundaries (token-view.ts); the tokens are
 * reported in the output for search and topic work downstream.
 */
export interface Segmenter {
  /** Tokens for the output: whitespace dropped, placeholders whole. */
  cut(text: string): string[];
  /**
   * jieba's raw cut: the tokens concatenate back to `text` exactly (used for token boundaries). The
   * function also carries the cutter, for `TokenView` to cut ranges without making strings.
   */
  cutRaw: RawCut;
  /** The output tokens made from a raw cut of the same text (no second cut). */
  fromRaw(raw: readonly string[]): string[];
}

/** A raw cut, with the cutter behind it when it can cut a range of a text to offsets (`cutRange`). */
export type RawCut = ((text: string) => string[]) & { readonly cutter?: JiebaCutter };

/** Frequency given to user terms: above any default-dictionary word that could split them. */
const USER_TERM_FREQ = 2_000_000;

/**
 * The last cutter built, by user dictionary: stages built over the same code frame (tests, workers
 * restarting a stage) share it. A cutter is read-only once built and cuts synchronously.
 */
let last: { user: string; cutter: JiebaCutter } | null = null;

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
  const user = userDictionary(terms);
  if (last?.user !== user) {
    last = { user, cutter: user.length > 0 ? JiebaCutter.withDict(dict, user) : JiebaCutter.withDict(dict) };
  }
  const cutter = last.cutter;
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
  const cutRaw: RawCut = Object.assign((text: string): string[] => cutter.cut(text), { cutter });
  return {
    cutRaw,
    fromRaw,
    cut: (text: string): string[] => fromRaw(cutRaw(text)),
  };
}
