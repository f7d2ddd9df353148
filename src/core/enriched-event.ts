import type { FeedbackEvent } from './feedback-event.js';

/** PII types the redactor knows; each becomes a typed placeholder such as 〔手机号〕 in the text. */
export type PiiType =
  | 'mobile'
  | 'landline'
  | 'id_card'
  | 'vin'
  | 'plate'
  | 'email'
  | 'wechat'
  | 'qq'
  | 'bank_card'
  | 'person_name';

export type Polarity = -1 | 0 | 1;
export type NeedLayer = 'basic' | 'performance' | 'delight';
export type Department = 'rnd' | 'quality' | 'sales' | 'after_sales' | 'marketing' | 'customer_service';

/** One code-frame hit: the public `voc tag` contract (README) — keep field names stable. */
export interface CodeHit {
  /** Leaf id, e.g. PWR.TRANS.JERK. */
  code: string;
  /** Leaf label in Chinese. */
  label: string;
  /** Level-1 domain id, e.g. PWR. */
  domain: string;
  /** Level-1 domain label in Chinese, e.g. 动力. */
  domainLabel: string;
  /** The term (as written in the normalised text) that matched. */
  term: string;
  /** [start, end) in UTF-16 code units of the normalised, redacted text. */
  span: [number, number];
  clause: string;
  clauseIndex: number;
  /** Aspect-level polarity from the clause. */
  sentiment: Polarity;
  /** 0..1 strength after degree words. */
  intensity: number;
  needLayer: NeedLayer;
  department: Department;
  /** What decided the polarity: the lexicon, the code's default, or a model (model stage). */
  sentimentSource: 'lexicon' | 'default' | 'model';
}

export interface NlpResult {
  /** Normalised (Simplified, half-width) and redacted text. */
  text: string;
  script: 'hans' | 'hant' | 'mixed' | 'none';
  /** Region guessed from script and phrasing: cn, tw, hk or null. */
  region: 'cn' | 'tw' | 'hk' | null;
  tokens: string[];
  redactions: Partial<Record<PiiType, number>>;
  hits: CodeHit[];
  sentiment: { polarity: Polarity; score: number };
  codeFrame: { version: string; hash: string };
  /** Set by the optional model stage (src/nlp/model/) when it is on; absent otherwise. */
  model?: ModelResult;
}

/** What the optional model stage added to one event (docs/model-stage.md). */
export interface ModelResult {
  /** The sentiment model as configured (id or path); null when refinement is off. */
  sentimentModel: string | null;
  /** The embedding model as configured; null when discovery is off. */
  embeddingModel: string | null;
  /** Clauses sent to the model because their lexicon polarity was weak or conflicting. */
  candidateClauses: number;
  /** clauseIndex of the clauses the model decided; their hits carry sentimentSource 'model'. */
  refinedClauses: number[];
  /** Discovery cluster of an uncovered text (no code hit, or only generic ones). */
  clusterId?: string;
  /** Set when inference failed for this event's batch and the lexicon result was kept. */
  fallback?: 'inference_failed';
}

/** What the NLP stage emits: the envelope with its text replaced by the redacted text, plus the analysis. */
export interface EnrichedEvent {
  event: FeedbackEvent;
  nlp: NlpResult;
}
