import type { EnrichedEvent, NlpResult } from '../core/enriched-event.js';
import type { FeedbackEvent } from '../core/feedback-event.js';
import type { Stage } from './stage-contract.js';

export interface NlpStageOptions {
  /** Path of the code frame YAML; defaults to config/codeframe.yaml in the package. */
  codeFramePath?: string;
}

/** The NLP stage: normalise → segment → redact → tag → sentiment, as one pure Stage. */
export interface NlpStage extends Stage<FeedbackEvent, EnrichedEvent> {
  analyze(text: string): NlpResult;
  readonly codeFrame: { version: string; hash: string };
}

// Placeholder until the NLP issue lands: passes text through with no hits. Replaced wholesale.
export function createNlpStage(_options: NlpStageOptions = {}): Promise<NlpStage> {
  const codeFrame = { version: '0', hash: '0' };
  const analyze = (text: string): NlpResult => ({
    text,
    script: 'hans',
    region: null,
    tokens: [],
    redactions: {},
    hits: [],
    sentiment: { polarity: 0, score: 0 },
    codeFrame,
  });
  return Promise.resolve({
    name: 'analyze_feedback',
    codeFrame,
    analyze,
    process(event: FeedbackEvent): EnrichedEvent[] {
      const nlp = analyze(event.text);
      return [{ event: { ...event, text: nlp.text }, nlp }];
    },
  });
}
