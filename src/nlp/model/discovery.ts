import { createHash } from 'node:crypto';
import type { EnrichedEvent } from '../../core/enriched-event.js';
import type { DiscoveryConfig } from './config.js';
import type { Cluster } from './clusterer.js';
import { OnlineClusterer } from './clusterer.js';

/** A cluster of uncovered feedback that grew past the threshold: a candidate code for a human. */
export interface DiscoveredTopic {
  id: string;
  size: number;
  /** Most characteristic terms, best first. */
  topTerms: string[];
  /** Redacted example texts, at most 3. */
  examples: string[];
  firstSeen: string;
  lastSeen: string;
  /** The embedding model that grouped them: topics from different models do not compare. */
  embeddingModel: string;
}

/** Glob patterns over code ids: "*.ATTR", "GEN.*", "*.GEN.*" or an exact id (* = any run of characters). */
export function genericCodeMatcher(patterns: readonly string[]): (code: string) => boolean {
  if (patterns.length === 0) return () => false;
  const escape = (p: string) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^(?:${patterns.map(escape).join('|')})$`);
  return (code) => re.test(code);
}

/**
 * Deterministic sampling by event id (ids are hex hashes): the same events are picked on every
 * replay. Ids that are not hex fall back to a string hash.
 */
export function inSample(id: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let x = /^[0-9a-f]{8}/i.test(id) ? parseInt(id.slice(0, 8), 16) : 0;
  if (x === 0) for (let i = 0; i < id.length; i++) x = (Math.imul(x, 31) + id.charCodeAt(i)) >>> 0;
  return x / 2 ** 32 < rate;
}

/** No code hit, or only generic ones: the frame does not cover this feedback. */
export function isUncovered(event: EnrichedEvent, isGeneric: (code: string) => boolean): boolean {
  return event.nlp.hits.every((h) => isGeneric(h.code));
}

// Function words and fillers that carry no topic. Short on purpose: single characters are dropped
// anyway, and the document-frequency weighting below pushes common words down.
const STOP_TERMS = new Set([
  '我们', '你们', '他们', '这个', '那个', '一个', '就是', '还是', '但是', '因为', '所以', '然后', '什么', '怎么', '没有', '可以',
  '已经', '现在', '感觉', '觉得', '比较', '非常', '真的', '有点', '一下', '一直', '这样', '那样', '而且', '不过', '时候', '问题',
]);
// Redaction placeholders (〔手机号〕), punctuation, digits, Latin noise.
const NOT_A_TERM = /^(?:〔.*〕|[\p{P}\p{S}\p{N}\s]+|[a-z]{1,2})$/u;

/** Terms worth counting: tokens of two characters or more that are not stop words or placeholders. */
export function topicTerms(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const term = t.trim().toLowerCase();
    if ([...term].length < 2 || STOP_TERMS.has(term) || NOT_A_TERM.test(term)) continue;
    out.push(term);
  }
  return out;
}

/**
 * Bounded document frequencies over all uncovered texts (space-saving, like the per-cluster
 * counters), so that top terms are what is characteristic of a cluster, not what is common.
 */
export class TermFrequencies {
  private readonly counts = new Map<string, number>();
  docs = 0;
  constructor(private readonly capacity: number) {}

  addDocument(terms: readonly string[]): void {
    this.docs++;
    for (const t of new Set(terms)) {
      const cur = this.counts.get(t);
      if (cur !== undefined) this.counts.set(t, cur + 1);
      else if (this.counts.size < this.capacity) this.counts.set(t, 1);
      else {
        let minTerm: string | undefined;
        let min = Infinity;
        for (const [k, n] of this.counts) if (n < min) [min, minTerm] = [n, k];
        if (minTerm !== undefined) this.counts.delete(minTerm);
        this.counts.set(t, min + 1);
      }
    }
  }

  df(term: string): number {
    return this.counts.get(term) ?? 0;
  }

  get size(): number {
    return this.counts.size;
  }
}

/** Cluster term counts weighted by inverse document frequency, best first; ties alphabetical. */
export function rankTerms(cluster: Cluster, df: TermFrequencies, n: number): string[] {
  const scored: [string, number][] = [];
  for (const [term, count] of cluster.terms) {
    const idf = Math.log(1 + df.docs / (1 + df.df(term)));
    scored.push([term, count * idf]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return scored.slice(0, n).map(([t]) => t);
}

/** The discovery state the model stage keeps: clusterer, document frequencies, emission rule. */
export class TopicDiscovery {
  readonly clusterer: OnlineClusterer;
  readonly frequencies: TermFrequencies;
  readonly isGeneric: (code: string) => boolean;

  constructor(
    private readonly config: DiscoveryConfig,
    private readonly embeddingModel: string,
  ) {
    this.clusterer = new OnlineClusterer({
      similarity: config.similarity,
      maxClusters: config.maxClusters,
      maxExamples: config.maxExamples,
      maxTermsPerCluster: config.maxTermsPerCluster,
      minDistinctAuthors: config.minDistinctAuthors,
    });
    this.frequencies = new TermFrequencies(Math.max(1000, config.maxTermsPerCluster * 10));
    this.isGeneric = genericCodeMatcher(config.genericCodes);
  }

  private mean: Float32Array | undefined;
  private seen = 0;

  /**
   * The vector the clusterer sees: with `center`, minus the running mean of the vectors before it
   * (one vector of state), renormalised. The first vector, or one equal to the mean, stays as is.
   */
  centred(vector: Float32Array): Float32Array {
    if (!this.config.center) return vector;
    const mean = (this.mean ??= new Float32Array(vector.length));
    const out = new Float32Array(vector.length);
    let norm = 0;
    for (let d = 0; d < vector.length; d++) {
      const x = (vector[d] ?? 0) - (mean[d] ?? 0);
      out[d] = x;
      norm += x * x;
    }
    this.seen++;
    for (let d = 0; d < vector.length; d++) mean[d] = (mean[d] ?? 0) + ((vector[d] ?? 0) - (mean[d] ?? 0)) / this.seen;
    norm = Math.sqrt(norm);
    if (norm < 1e-6) return vector;
    for (let d = 0; d < out.length; d++) out[d] = (out[d] ?? 0) / norm;
    return out;
  }

  /** Add one uncovered event with its embedding; returns the cluster id. */
  add(event: EnrichedEvent, raw: Float32Array): string {
    const vector = this.centred(raw);
    const terms = topicTerms(event.nlp.tokens);
    this.frequencies.addDocument(terms);
    const cluster = this.clusterer.add({
      // Named after its first member, hashed: a topic id must not point back at one record.
      id: `t${createHash('sha256').update(event.event.id).digest('hex').slice(0, 15)}`,
      vector,
      at: event.event.occurredAt,
      terms,
      example: [...event.nlp.text].slice(0, this.config.maxExampleChars).join(''),
      author: event.event.authorKey,
    });
    return cluster.id;
  }

  private emittable(c: Cluster): boolean {
    return c.size >= this.config.minTopicSize && this.clusterer.distinctAuthors(c) >= this.config.minDistinctAuthors;
  }

  private toTopic(c: Cluster): DiscoveredTopic {
    return {
      id: c.id,
      size: c.size,
      topTerms: rankTerms(c, this.frequencies, this.config.topTerms),
      examples: c.examples.slice(0, 3),
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      embeddingModel: this.embeddingModel,
    };
  }

  /** Topics past the thresholds, largest first. */
  topics(): DiscoveredTopic[] {
    return this.clusterer
      .all()
      .filter((c) => this.emittable(c))
      .sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1))
      .map((c) => this.toTopic(c));
  }

  /** Topics past the thresholds that changed since the last drain: what the sink should upsert. */
  drain(): DiscoveredTopic[] {
    const out: DiscoveredTopic[] = [];
    for (const c of this.clusterer.all()) {
      if (!c.dirty || !this.emittable(c)) continue;
      c.dirty = false;
      out.push(this.toTopic(c));
    }
    return out.sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
  }
}
