import type { CodeHit, EnrichedEvent, NlpResult } from '../core/enriched-event.js';
import { StageError } from '../core/errors.js';
import type { FeedbackEvent } from '../core/feedback-event.js';
import type { CodeFrame, CodeFrameLeaf } from './codeframe/types.js';
import { normalizeText } from './normalize/normalize.js';
import { redactText } from './redact/redact.js';
import type { Segmenter } from './segment/segmenter.js';
import { createSegmenter } from './segment/segmenter.js';
import { TokenView } from './segment/token-view.js';
import type { Lexicon } from './sentiment/lexicon.js';
import type { ScorerOptions } from './sentiment/score.js';
import { SentimentScorer } from './sentiment/score.js';
import type { Stage } from './stage-contract.js';
import { loadCodeFrame } from './codeframe/load.js';
import { loadLexiconFiles } from './sentiment/load-lexicon.js';
import { ClauseSplitter } from './tag/clauses.js';
import { Tagger } from './tag/tagger.js';

export interface NlpStageOptions {
  /** Path of the code frame YAML; defaults to config/codeframe.yaml in the package. */
  codeFramePath?: string;
  /** Directory of the sentiment lexicon; defaults to config/lexicon in the package. */
  lexiconDir?: string;
  /** An already loaded code frame (tests, tools); wins over codeFramePath. */
  codeFrame?: CodeFrame;
  /** An already built lexicon (tests, tools); wins over lexiconDir. */
  lexicon?: Lexicon;
  /** Report jieba tokens in the output (default true). Tagging never needs them. */
  tokens?: boolean;
  /** Scorer tunables (see sentiment/score.ts). */
  scorer?: Partial<ScorerOptions>;
}

/** The NLP stage: normalise → redact → segment → tag → sentiment, as one pure Stage. */
export interface NlpStage extends Stage<FeedbackEvent, EnrichedEvent> {
  analyze(text: string): NlpResult;
  readonly codeFrame: { version: string; hash: string };
}

/** The analysis chain over a loaded frame and lexicon; pure and synchronous once built. */
export function createAnalyzer(
  frame: CodeFrame,
  lexicon: Lexicon,
  options: Pick<NlpStageOptions, 'tokens' | 'scorer'> = {},
): (text: string) => NlpResult {
  const codeFrame = { version: frame.version, hash: frame.hash };
  const tagger = new Tagger(frame);
  // Leaves a hit also counts for (CodeFrameLeaf.also): 性能 is both 动力 and 操控.
  const byId = new Map(frame.leaves.map((l) => [l.id, l]));
  const alsoOf = new Map<string, CodeFrameLeaf[]>();
  for (const l of frame.leaves) if (l.also) alsoOf.set(l.id, l.also.map((id) => byId.get(id)).filter((x): x is CodeFrameLeaf => x !== undefined));
  const splitter = new ClauseSplitter(
    lexicon.contrast.length > 0 ? lexicon.contrast : undefined,
    lexicon.concessive.length > 0 ? lexicon.concessive : undefined,
  );
  const scorer = new SentimentScorer(lexicon, options.scorer);
  // The segmenter is always built: terms and one-character opinion words are vetted against token
  // boundaries (lazily: a text without a candidate never gets cut when tokens are off). Its cutter
  // cuts the one segment asked about straight to offsets, so no segments are hinted in advance
  // (TokenView.hint serves cut functions without a cutter).
  const segmenter: Segmenter = createSegmenter(tagger.terms);
  const wantTokens = options.tokens !== false;
  // Callbacks made once, over the view of the text being analysed (analyze is synchronous).
  let view: TokenView;
  const aligned = (start: number, end: number): boolean => view.aligned(start, end);
  const standsAlone = (pos: number): boolean => view.standsAlone(pos);
  return (input: string): NlpResult => {
    const norm = normalizeText(input);
    // Redaction runs on the normalised text (half-width digits) and before anything else reads it:
    // every later step and the output see placeholders only.
    const red = redactText(norm.text);
    const text = red.text;
    view = new TokenView(text, segmenter.cutRaw, scorer.modifiers, wantTokens ? segmenter.cutRaw(text) : undefined);
    const raw = tagger.match(text, aligned);
    const clauses = splitter.split(text);
    const scored = scorer.score(text, clauses, raw, standsAlone);
    const hits: CodeHit[] = [];
    // One hit per code per clause. When several terms of one code meet in a clause, the hit that says
    // most stands for it: a term of the leaf itself before a hit that only counts through `also`
    // (性能和操控 → 操控 for HDL.GEN.ATTR), then the stronger opinion before a plain mention (加速踩到底
    // 的那一刻动力差: 动力, which carries 差), else the first.
    const direct: boolean[] = [];
    const many = scored.hits.length > 32;
    const at = many ? new Map<string, number>() : null;
    const add = (leaf: CodeFrameLeaf, s: (typeof scored.hits)[number], isDirect: boolean): void => {
      const clauseIndex = s.clause.index;
      let i = -1;
      if (at !== null) i = at.get(`${leaf.id}\u0000${clauseIndex}`) ?? -1;
      else for (let k = 0; k < hits.length && i < 0; k++) if ((hits[k] as CodeHit).clauseIndex === clauseIndex && (hits[k] as CodeHit).code === leaf.id) i = k;
      if (i >= 0) {
        const prev = hits[i] as CodeHit;
        if (isDirect !== direct[i]) {
          if (!isDirect) return;
        } else if (Math.abs(s.sentiment) * s.intensity <= Math.abs(prev.sentiment) * prev.intensity) return;
      }
      const hit: CodeHit = {
        code: leaf.id,
        label: leaf.label,
        domain: leaf.domainId,
        domainLabel: leaf.domainLabel,
        term: s.hit.term,
        span: [s.hit.start, s.hit.end],
        clause: s.clause.text,
        clauseIndex,
        sentiment: s.sentiment,
        intensity: s.intensity,
        needLayer: leaf.needLayer,
        department: leaf.department,
        sentimentSource: s.source,
      };
      if (i >= 0) {
        hits[i] = hit;
        direct[i] = isDirect;
        return;
      }
      at?.set(`${leaf.id}\u0000${clauseIndex}`, hits.length);
      hits.push(hit);
      direct.push(isDirect);
    };
    for (const s of scored.hits) {
      add(s.hit.leaf, s, true);
      const also = alsoOf.get(s.hit.leaf.id);
      if (also !== undefined) for (const leaf of also) add(leaf, s, false);
    }
    return {
      text,
      script: norm.script,
      region: norm.region,
      tokens: wantTokens ? segmenter.fromRaw(view.raw()) : [],
      redactions: red.counts,
      hits,
      sentiment: scored.sentiment,
      codeFrame,
    };
  };
}

export async function createNlpStage(options: NlpStageOptions = {}): Promise<NlpStage> {
  const frame = options.codeFrame ?? loadCodeFrame(options.codeFramePath);
  let lexicon = options.lexicon;
  let scorer: Partial<ScorerOptions> = {};
  if (!lexicon) {
    const loaded = await loadLexiconFiles(options.lexiconDir);
    lexicon = loaded.lexicon;
    const s = loaded.settings;
    // Windows and weights written in the lexicon files; explicit options win.
    scorer = {
      ...(s.negationWindow !== undefined ? { modifierGap: s.negationWindow } : {}),
      ...(s.magnitudeWindow !== undefined ? { magnitudeWindow: s.magnitudeWindow } : {}),
      ...(s.contrastWeight !== undefined ? { contrastWeight: s.contrastWeight } : {}),
    };
  }
  const analyze = createAnalyzer(frame, lexicon, { ...options, scorer: { ...scorer, ...options.scorer } });
  const codeFrame = { version: frame.version, hash: frame.hash };
  return {
    name: 'analyze_feedback',
    codeFrame,
    analyze,
    process(event: FeedbackEvent): EnrichedEvent[] {
      let nlp: NlpResult;
      try {
        nlp = analyze(event.text);
      } catch (err) {
        // One record's failure is that record's: the runner dead-letters it (never retried).
        throw new StageError('analyze_feedback', `NLP analysis failed for event ${event.id}.`, { code: 'NLP_ANALYZE_FAILED', cause: err });
      }
      return [{ event: { ...event, text: nlp.text }, nlp }];
    },
  };
}
