/**
 * How NLP results cross from a worker thread to the main thread (see worker-pool.ts).
 *
 * Structured-cloning EnrichedEvents costs the main thread about as much as the analysis itself
 * (~20 µs per event to deserialise ~5 hits × 13 fields, the envelope and the repeated labels, on
 * the development machine). So the thread sends a batch as one Float64Array (transferred, not
 * copied) of numbers and codes plus one array of the strings that vary (text, terms, clauses,
 * tokens); the code-frame leaf fields (code, labels, need layer, department) are sent once per leaf
 * and shared; the envelope never crosses: the main thread has the events and builds
 * `{ event: { ...event, text }, nlp }` as the stage does. The decoded result equals the stage's
 * output field for field (worker-pool.test.ts).
 */
import type { CodeHit, EnrichedEvent, NlpResult, PiiType } from '../core/enriched-event.js';
import type { FeedbackEvent } from '../core/feedback-event.js';

const SCRIPTS: readonly NlpResult['script'][] = ['hans', 'hant', 'mixed', 'none'];
const REGIONS: readonly NlpResult['region'][] = ['cn', 'tw', 'hk', null];
const PII: readonly PiiType[] = ['mobile', 'landline', 'id_card', 'vin', 'plate', 'email', 'wechat', 'qq', 'bank_card', 'person_name'];
const SOURCES: readonly CodeHit['sentimentSource'][] = ['lexicon', 'default', 'model'];

/** code, label, domain, domainLabel, needLayer, department of one leaf. */
export type LeafFields = [string, string, string, string, CodeHit['needLayer'], CodeHit['department']];

/** One encoded batch; `leaves` are the leaves first seen in this batch (appended to the table). */
export interface EncodedBatch {
  n: Float64Array;
  s: string[];
  leaves: LeafFields[];
}

/** What the thread says per event: the stage's outputs or its error. */
export type ThreadOutcome = { ok: true; out: EnrichedEvent[] } | { ok: false; message: string; code: string };

function indexOf<T>(list: readonly T[], v: T, what: string): number {
  const i = list.indexOf(v);
  if (i < 0) throw new TypeError(`worker-pool codec: unknown ${what} ${String(v)}`);
  return i;
}

/** Thread side: one per thread, keeps the leaf table the main thread mirrors. */
export class BatchEncoder {
  private readonly leafIndex = new Map<string, number>();

  constructor(private readonly codeFrame: NlpResult['codeFrame']) {}

  /** Null when a result has something the codec does not carry (e.g. a model field): clone it instead. */
  encode(outcomes: readonly ThreadOutcome[]): EncodedBatch | null {
    const n: number[] = [];
    const s: string[] = [];
    const leaves: LeafFields[] = [];
    const added: string[] = [];
    for (const o of outcomes) {
      if (!o.ok) {
        n.push(0);
        s.push(o.message, o.code);
        continue;
      }
      n.push(1, o.out.length);
      for (const { nlp } of o.out) {
        if (nlp.model !== undefined || nlp.codeFrame.version !== this.codeFrame.version || nlp.codeFrame.hash !== this.codeFrame.hash) {
          for (const k of added) this.leafIndex.delete(k);
          return null;
        }
        const red = Object.entries(nlp.redactions);
        n.push(indexOf(SCRIPTS, nlp.script, 'script'), indexOf(REGIONS, nlp.region, 'region'), nlp.sentiment.polarity, nlp.sentiment.score, red.length);
        for (const [type, count] of red) n.push(indexOf(PII, type as PiiType, 'PII type'), count ?? 0);
        s.push(nlp.text);
        n.push(nlp.tokens.length);
        for (const t of nlp.tokens) s.push(t);
        n.push(nlp.hits.length);
        let prevClause = -1;
        for (const h of nlp.hits) {
          const key = `${h.code}\u0000${h.label}\u0000${h.domain}\u0000${h.domainLabel}\u0000${h.needLayer}\u0000${h.department}`;
          let leaf = this.leafIndex.get(key);
          if (leaf === undefined) {
            leaf = this.leafIndex.size;
            this.leafIndex.set(key, leaf);
            added.push(key);
            leaves.push([h.code, h.label, h.domain, h.domainLabel, h.needLayer, h.department]);
          }
          // Hits of one clause share its text: sent once.
          const same = h.clauseIndex === prevClause ? 1 : 0;
          n.push(leaf, h.span[0], h.span[1], h.clauseIndex, h.sentiment, h.intensity, indexOf(SOURCES, h.sentimentSource, 'sentiment source'), same);
          s.push(h.term);
          if (same === 0) s.push(h.clause);
          prevClause = h.clauseIndex;
        }
      }
    }
    return { n: Float64Array.from(n), s, leaves };
  }
}

/** Main-thread side of one thread's stream: mirrors its leaf table. */
export class BatchDecoder {
  private readonly leaves: LeafFields[] = [];

  constructor(private readonly codeFrame: NlpResult['codeFrame']) {}

  /** Outcomes for `events` (the batch that was sent), in order. */
  decode(batch: EncodedBatch, events: readonly FeedbackEvent[]): ThreadOutcome[] {
    for (const l of batch.leaves) this.leaves.push(l);
    const { n, s } = batch;
    let i = 0;
    let j = 0;
    const out: ThreadOutcome[] = [];
    for (const event of events) {
      if (n[i++] === 0) {
        out.push({ ok: false, message: s[j++] as string, code: s[j++] as string });
        continue;
      }
      const count = n[i++] as number;
      const results: EnrichedEvent[] = [];
      for (let k = 0; k < count; k++) {
        const script = SCRIPTS[n[i++] as number] as NlpResult['script'];
        const region = REGIONS[n[i++] as number] as NlpResult['region'];
        const polarity = n[i++] as NlpResult['sentiment']['polarity'];
        const score = n[i++] as number;
        const redactions: NlpResult['redactions'] = {};
        for (let r = n[i++] as number; r > 0; r--) redactions[PII[n[i++] as number] as PiiType] = n[i++] as number;
        const text = s[j++] as string;
        const tokens: string[] = [];
        for (let t = n[i++] as number; t > 0; t--) tokens.push(s[j++] as string);
        const hits: CodeHit[] = [];
        let clause = '';
        for (let h = n[i++] as number; h > 0; h--) {
          const leaf = this.leaves[n[i++] as number] as LeafFields;
          const start = n[i++] as number;
          const end = n[i++] as number;
          const clauseIndex = n[i++] as number;
          const sentiment = n[i++] as CodeHit['sentiment'];
          const intensity = n[i++] as number;
          const source = SOURCES[n[i++] as number] as CodeHit['sentimentSource'];
          const same = n[i++] === 1;
          const term = s[j++] as string;
          if (!same) clause = s[j++] as string;
          hits.push({
            code: leaf[0],
            label: leaf[1],
            domain: leaf[2],
            domainLabel: leaf[3],
            term,
            span: [start, end],
            clause,
            clauseIndex,
            sentiment,
            intensity,
            needLayer: leaf[4],
            department: leaf[5],
            sentimentSource: source,
          });
        }
        const nlp: NlpResult = { text, script, region, tokens, redactions, hits, sentiment: { polarity, score }, codeFrame: this.codeFrame };
        // As the stage's process(): the envelope with its text replaced by the redacted text.
        results.push({ event: { ...event, text }, nlp });
      }
      out.push({ ok: true, out: results });
    }
    return out;
  }
}
