import type { Department, NeedLayer, Polarity } from '../../core/enriched-event.js';

/**
 * The unified code frame (统一码框) once loaded and validated: level-1 domain → level-2
 * component/attribute → level-3 issue (leaf). Shared by every channel and department.
 * The YAML lives in config/codeframe.yaml; the loader (./load.ts) validates it with zod and computes
 * the content hash.
 */
export type CodeFrameScale = 'higher_better' | 'higher_worse';

export interface CodeFrameLeaf {
  /** Stable id DOMAIN.COMPONENT.ISSUE, e.g. PWR.TRANS.JERK. */
  id: string;
  label: string;
  domainId: string;
  domainLabel: string;
  componentId: string;
  componentLabel: string;
  /** Terms and synonyms as written in the YAML (Simplified, Traditional, regional, colloquial). */
  terms: string[];
  /** Optional context rule: the term counts only if one of these words is within `window` chars. */
  context?: { anyOf: string[]; window: number };
  defaultPolarity: Polarity;
  /**
   * How magnitude words next to a term become polarity (config/lexicon/magnitude.yaml):
   * higher_better (空间大 +1), higher_worse (油耗高 −1). Absent: magnitude words stay neutral.
   */
  scale?: CodeFrameScale;
  /**
   * True when the terms are themselves evaluations (动力不足, 油耗低, 太丑): a hit is an opinion, not just
   * a mention. Problem names (顿挫, 异响, 烧机油) are not: their default polarity is weaker evidence.
   */
  opinion?: boolean;
  /**
   * Leaf ids a hit on this leaf also counts for, with the same span, clause and sentiment: a word
   * that names two dimensions (性能 is power and handling). The terms stay in this leaf only.
   */
  also?: string[];
  needLayer: NeedLayer;
  department: Department;
}

export interface CodeFrameDomain {
  id: string;
  label: string;
  department: Department;
}

export interface CodeFrame {
  version: string;
  /** sha256 of the canonical JSON of the validated frame, first 16 hex digits. */
  hash: string;
  domains: CodeFrameDomain[];
  leaves: CodeFrameLeaf[];
}
