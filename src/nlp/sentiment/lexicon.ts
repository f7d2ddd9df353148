/**
 * The sentiment lexicon as the scorer uses it. The data lives in config/lexicon/ (format in
 * config/lexicon/README.md); ./load-lexicon.ts reads it into this shape.
 */
export interface Lexicon {
  /** Opinion words with a signed weight: 好 +1, 给力 +1.5, 差 −1, 掉电快 −1.5; 0 = neutral shadow word. */
  polarity: ReadonlyMap<string, number>;
  /** Negators: 不, 没, 没有, 无, 未, 不太, 并不 … */
  negation: ReadonlySet<string>;
  /**
   * Negators that soften rather than flip fully (不太, 不怎么, 不是很): 不太好 is mildly negative.
   * Also listed in `negation`.
   */
  weakNegation: ReadonlySet<string>;
  /** Degree adverbs with an intensity multiplier: 很 1.5, 非常 1.8, 太 2, 有点 0.6, 稍微 0.5. */
  degree: ReadonlyMap<string, number>;
  /** Contrast words that open a new clause: 但是, 不过, 就是, 可是 … */
  contrast: readonly string[];
  /** Concessive words (虽然, 尽管) marking a clause outweighed by the contrast after it. */
  concessive: readonly string[];
  /**
   * Magnitude words: +1 for "more" (高, 大, 多, 快, 强), −1 for "less" (低, 小, 少, 慢, 弱). Their
   * polarity comes from the aspect's scale (油耗高 −1, 空间大 +1); without a scale they are neutral.
   */
  magnitude: ReadonlyMap<string, 1 | -1>;
}

export interface LexiconInput {
  positive?: Iterable<string | readonly [string, number]>;
  negative?: Iterable<string | readonly [string, number]>;
  negation?: Iterable<string>;
  weakNegation?: Iterable<string>;
  degree?: Iterable<readonly [string, number]>;
  contrast?: Iterable<string>;
  concessive?: Iterable<string>;
  more?: Iterable<string>;
  less?: Iterable<string>;
  /** Words that contain an opinion word but carry none (差异, 最好, 好像): weight 0. */
  neutral?: Iterable<string>;
}

/** Builds a Lexicon; later entries override earlier ones (so an automotive list can refine a general one). */
export function buildLexicon(input: LexiconInput): Lexicon {
  const polarity = new Map<string, number>();
  for (const e of input.positive ?? []) {
    const [w, v] = typeof e === 'string' ? [e, 1] : e;
    if (w.length > 0) polarity.set(w, Math.abs(v));
  }
  for (const e of input.negative ?? []) {
    const [w, v] = typeof e === 'string' ? [e, 1] : e;
    if (w.length > 0) polarity.set(w, -Math.abs(v));
  }
  for (const w of input.neutral ?? []) if (w.length > 0) polarity.set(w, 0);
  const weakNegation = new Set(input.weakNegation ?? []);
  const negation = new Set([...(input.negation ?? []), ...weakNegation]);
  const magnitude = new Map<string, 1 | -1>();
  for (const w of input.more ?? []) magnitude.set(w, 1);
  for (const w of input.less ?? []) magnitude.set(w, -1);
  return {
    polarity,
    negation,
    weakNegation,
    degree: new Map(input.degree ?? []),
    contrast: [...(input.contrast ?? [])],
    concessive: [...(input.concessive ?? [])],
    magnitude,
  };
}
