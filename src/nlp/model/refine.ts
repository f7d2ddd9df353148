import type { CodeHit, Polarity } from '../../core/enriched-event.js';
import type { SentimentRefinementConfig } from './config.js';

/**
 * Which labels mean which polarity, for the label names Chinese and English sentiment models use.
 * Matched case-insensitively on the whole label and on its first word, so that
 * "negative (stars 1, 2 and 3)" (uer/roberta-base-finetuned-dianping-chinese) maps too.
 * LABEL_0/LABEL_1 are not guessed: their meaning differs per model; map them in config.
 */
export const BUILTIN_LABELS: Readonly<Record<string, Polarity>> = {
  negative: -1,
  neg: -1,
  负面: -1,
  消极: -1,
  差评: -1,
  neutral: 0,
  neu: 0,
  中性: 0,
  中立: 0,
  positive: 1,
  pos: 1,
  正面: 1,
  积极: 1,
  好评: 1,
  '1 star': -1,
  '2 stars': -1,
  '3 stars': 0,
  '4 stars': 1,
  '5 stars': 1,
};

export function labelPolarity(label: string, overrides: Readonly<Record<string, Polarity>>): Polarity | undefined {
  if (label in overrides) return overrides[label];
  const l = label.trim().toLowerCase();
  if (l in overrides) return overrides[l];
  if (l in BUILTIN_LABELS) return BUILTIN_LABELS[l];
  const first = l.split(/[\s(（_:-]/u)[0] ?? '';
  return BUILTIN_LABELS[first];
}

export interface CandidateClause {
  clauseIndex: number;
  text: string;
  reason: 'weak' | 'conflicting';
}

export interface CandidateOptions {
  /** Send all-neutral clauses (see refineNeutral and neutralAllowed()). */
  neutral: boolean;
}

/** Whether all-neutral clauses go to the model: refineNeutral, and for auto whether the model can answer "neutral". */
export function neutralAllowed(cfg: SentimentRefinementConfig, labels: readonly string[]): boolean {
  if (cfg.refineNeutral === 'always') return true;
  if (cfg.refineNeutral === 'never') return false;
  return labels.some((l) => labelPolarity(l, cfg.labels as Record<string, Polarity>) === 0);
}

function isWeak(h: CodeHit, cfg: SentimentRefinementConfig, opts: CandidateOptions): boolean {
  if (h.sentiment === 0) return opts.neutral;
  if (h.sentimentSource === 'default') return cfg.refineDefaults;
  return h.intensity < cfg.weakIntensity;
}

/**
 * Clauses of one event whose lexicon polarity is unsure: every hit in the clause weak (neutral —
 * when allowed —, code-default polarity, or intensity below the threshold), or hits that disagree
 * (+ and − in one clause). Clauses a model already decided are left alone, so a second pass changes nothing.
 */
export function candidateClauses(
  hits: readonly CodeHit[],
  cfg: SentimentRefinementConfig,
  opts: CandidateOptions = { neutral: cfg.refineNeutral === 'always' },
): CandidateClause[] {
  const byClause = new Map<number, CodeHit[]>();
  for (const h of hits) {
    const list = byClause.get(h.clauseIndex);
    if (list) list.push(h);
    else byClause.set(h.clauseIndex, [h]);
  }
  const out: CandidateClause[] = [];
  for (const [clauseIndex, list] of byClause) {
    if (list.some((h) => h.sentimentSource === 'model')) continue;
    const text = list[0]?.clause ?? '';
    if (text.trim() === '') continue;
    const polarities = new Set(list.map((h) => h.sentiment).filter((p) => p !== 0));
    if (polarities.size > 1) out.push({ clauseIndex, text, reason: 'conflicting' });
    else if (list.every((h) => isWeak(h, cfg, opts))) out.push({ clauseIndex, text, reason: 'weak' });
  }
  return out.sort((a, b) => a.clauseIndex - b.clauseIndex);
}

export interface ModelDecision {
  polarity: Polarity;
  label: string;
  score: number;
}

/**
 * Read one row of class probabilities: the top label decides when its score reaches
 * minConfidence and the label has a known polarity; otherwise undefined (the lexicon stays).
 */
export function decide(
  scores: ArrayLike<number>,
  labels: readonly string[],
  cfg: SentimentRefinementConfig,
): ModelDecision | undefined {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] ?? -Infinity;
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  if (best < 0 || bestScore < cfg.minConfidence) return undefined;
  const label = labels[best] ?? `LABEL_${best}`;
  const polarity = labelPolarity(label, cfg.labels as Record<string, Polarity>);
  if (polarity === undefined) return undefined;
  return { polarity, label, score: bestScore };
}

/** The hits with the decided clauses rewritten: polarity from the model, intensity = its confidence. */
export function applyDecisions(hits: readonly CodeHit[], decisions: ReadonlyMap<number, ModelDecision>): CodeHit[] {
  return hits.map((h) => {
    const d = decisions.get(h.clauseIndex);
    if (!d) return h;
    return { ...h, sentiment: d.polarity, intensity: Math.round(d.score * 1000) / 1000, sentimentSource: 'model' as const };
  });
}
