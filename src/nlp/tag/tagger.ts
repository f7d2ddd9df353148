import type { CodeFrame, CodeFrameLeaf } from '../codeframe/types.js';
import { normalizeText } from '../normalize/normalize.js';
import type { Match } from './matcher.js';
import { TermTrie } from './matcher.js';

/** How magnitude words next to a term become polarity: 油耗高 → −1 (higher_worse), 空间大 → +1. */
export type Scale = 'higher_better' | 'higher_worse';

/** A leaf as the tagger uses it; `scale` is read when the code frame provides it. */
export type TaggableLeaf = CodeFrameLeaf & { scale?: Scale };

export interface TermEntry {
  leaf: TaggableLeaf;
  /** Context words (normalised) and window, when the leaf has a context rule. */
  context?: { anyOf: string[]; window: number };
}

export interface RawHit {
  leaf: TaggableLeaf;
  start: number;
  end: number;
  term: string;
}

export interface TermConflict {
  term: string;
  kept: string;
  dropped: string;
}

/**
 * The code-frame matcher: every term (after the same normalisation as the text, so 頓挫 → 顿挫 and
 * 波箱 → 变速箱) in one trie. When two leaves share a normalised term the first leaf in frame order
 * keeps it; `conflicts` lists the others (the code frame lint reports them too).
 */
export class Tagger {
  private readonly trie = new TermTrie<TermEntry>();
  readonly conflicts: TermConflict[] = [];
  /** All normalised terms, for the segmenter's user dictionary. */
  readonly terms: string[] = [];

  constructor(frame: CodeFrame) {
    const owner = new Map<string, string>();
    for (const leaf of frame.leaves as TaggableLeaf[]) {
      const context = leaf.context
        ? { anyOf: leaf.context.anyOf.map((w) => normalizeText(w).text).filter((w) => w.length > 0), window: leaf.context.window }
        : undefined;
      const entry: TermEntry = context ? { leaf, context } : { leaf };
      for (const raw of leaf.terms) {
        const term = normalizeText(raw).text;
        if (term.length === 0) continue;
        if (this.trie.add(term, entry)) {
          owner.set(term.toLowerCase(), leaf.id);
          this.terms.push(term);
        } else {
          const kept = owner.get(term.toLowerCase()) ?? '';
          if (kept !== leaf.id) this.conflicts.push({ term, kept, dropped: leaf.id });
        }
      }
    }
  }

  get termCount(): number {
    return this.trie.count;
  }

  /**
   * Term occurrences in the normalised, redacted text: context rules applied, longest match wins.
   * `aligned(start, end)` (segment/token-view.ts) vets them against jieba's token boundaries;
   * `candidate(start, end)` is told of every position where a term starts before the first
   * `aligned` call (see TermTrie.findAll), so the token view can cut what it will need at once.
   */
  match(text: string, aligned?: (start: number, end: number) => boolean, candidate?: (start: number, end: number) => void): RawHit[] {
    this.text = text;
    this.aligned = aligned;
    const found = this.trie.findAll(text, this.keep, 0, text.length, candidate);
    this.aligned = undefined;
    const hits: RawHit[] = [];
    for (const m of found) hits.push({ leaf: m.value.leaf, start: m.start, end: m.end, term: text.slice(m.start, m.end) });
    return hits;
  }

  /** The text and boundary check of the `match` call under way (read by `keep`, made once). */
  private text = '';
  private aligned: ((start: number, end: number) => boolean) | undefined;

  private readonly keep = (m: Match<TermEntry>): boolean => {
    // A term counts only on word boundaries: not 贵 inside 尊贵, not 油耗大 inside 油耗大概.
    if (this.aligned && !this.aligned(m.start, m.end)) return false;
    const ctx = m.value.context;
    if (!ctx) return true;
    // A context word counts when at most `window` characters lie between it and the term
    // (等红灯的时候车身一直抖: 7 characters between 红灯 and 抖): it lies wholly in [lo, hi).
    const text = this.text;
    for (const w of ctx.anyOf) {
      const lo = Math.max(0, m.start - ctx.window - w.length);
      const hi = Math.min(text.length, m.end + ctx.window + w.length);
      const at = text.indexOf(w, lo);
      if (at !== -1 && at + w.length <= hi) return true;
    }
    return false;
  };
}
