/**
 * Online leader clustering on cosine similarity, with bounded memory.
 *
 * Each vector (L2-normalised) joins the most similar cluster when the cosine similarity to its
 * centroid reaches `similarity`, else starts a new cluster. Centroids are running sums, so the
 * update is O(dim) and the order of arrival is the only state. Memory is bounded by construction:
 * at most `maxClusters` clusters (a new one evicts the smallest, least recently seen), at most
 * `maxTermsPerCluster` term counters per cluster (space-saving: the rarest counter is replaced),
 * at most `maxExamples` example texts per cluster, and at most `minDistinctAuthors` author keys.
 * Deterministic: same input order, same clusters.
 */
export interface ClustererOptions {
  similarity: number;
  maxClusters: number;
  maxExamples: number;
  maxTermsPerCluster: number;
  /** Authors tracked per cluster (only "at least k distinct" is needed). */
  minDistinctAuthors: number;
}

export interface ClusterItem {
  /** Stable id of the member (the event id); the first member names the cluster. */
  id: string;
  vector: Float32Array;
  /** ISO time the feedback was given. */
  at: string;
  terms: readonly string[];
  /** Redacted example text. */
  example: string;
  /** Pseudonymous author key; null counts as a distinct unknown author. */
  author: string | null;
}

export interface Cluster {
  id: string;
  size: number;
  sum: Float32Array;
  norm: number;
  firstSeen: string;
  lastSeen: string;
  /** Arrival sequence of the last member: recency for eviction. */
  lastSeq: number;
  terms: Map<string, number>;
  examples: string[];
  authors: Set<string>;
  /** Events without an author key seen so far (each one a distinct unknown author). */
  unknownAuthors: number;
  /** Changed since the last drain. */
  dirty: boolean;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

export class OnlineClusterer {
  private readonly clusters = new Map<string, Cluster>();
  private seq = 0;
  private evicted = 0;

  constructor(private readonly options: ClustererOptions) {}

  get size(): number {
    return this.clusters.size;
  }

  get evictions(): number {
    return this.evicted;
  }

  all(): Cluster[] {
    return [...this.clusters.values()];
  }

  get(id: string): Cluster | undefined {
    return this.clusters.get(id);
  }

  /** Assign one vector; returns the cluster it joined or started. */
  add(item: ClusterItem): Cluster {
    this.seq++;
    let best: Cluster | undefined;
    let bestSim = -Infinity;
    for (const c of this.clusters.values()) {
      if (c.norm === 0) continue;
      const sim = dot(item.vector, c.sum) / c.norm;
      // Ties go to the earlier cluster (Map order), which keeps the result deterministic.
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    if (best && bestSim >= this.options.similarity) {
      this.join(best, item);
      return best;
    }
    if (this.clusters.size >= this.options.maxClusters) this.evictOne();
    const c: Cluster = {
      id: item.id,
      size: 0,
      sum: new Float32Array(item.vector.length),
      norm: 0,
      firstSeen: item.at,
      lastSeen: item.at,
      lastSeq: this.seq,
      terms: new Map(),
      examples: [],
      authors: new Set(),
      unknownAuthors: 0,
      dirty: true,
    };
    // A re-used id (an evicted cluster's first member seen again) gets a suffix to stay unique.
    while (this.clusters.has(c.id)) c.id = `${c.id}~${this.seq}`;
    this.clusters.set(c.id, c);
    this.join(c, item);
    return c;
  }

  private join(c: Cluster, item: ClusterItem): void {
    c.size++;
    for (let i = 0; i < c.sum.length; i++) c.sum[i] = (c.sum[i] ?? 0) + (item.vector[i] ?? 0);
    c.norm = Math.sqrt(dot(c.sum, c.sum));
    if (item.at < c.firstSeen) c.firstSeen = item.at;
    if (item.at > c.lastSeen) c.lastSeen = item.at;
    c.lastSeq = this.seq;
    c.dirty = true;
    if (c.examples.length < this.options.maxExamples && !c.examples.includes(item.example)) c.examples.push(item.example);
    if (item.author === null) c.unknownAuthors = Math.min(c.unknownAuthors + 1, this.options.minDistinctAuthors);
    else if (c.authors.size < this.options.minDistinctAuthors) c.authors.add(item.author);
    for (const term of new Set(item.terms)) this.countTerm(c, term);
  }

  /** Space-saving counter (Metwally et al. 2005): a new term beyond the cap replaces the rarest. */
  private countTerm(c: Cluster, term: string): void {
    const cur = c.terms.get(term);
    if (cur !== undefined) {
      c.terms.set(term, cur + 1);
      return;
    }
    if (c.terms.size < this.options.maxTermsPerCluster) {
      c.terms.set(term, 1);
      return;
    }
    let minTerm: string | undefined;
    let minCount = Infinity;
    for (const [t, n] of c.terms) {
      if (n < minCount) {
        minCount = n;
        minTerm = t;
      }
    }
    if (minTerm === undefined) return;
    c.terms.delete(minTerm);
    c.terms.set(term, minCount + 1);
  }

  /** Evict the smallest cluster; among equals, the one seen least recently. */
  private evictOne(): void {
    let victim: Cluster | undefined;
    for (const c of this.clusters.values()) {
      if (!victim || c.size < victim.size || (c.size === victim.size && c.lastSeq < victim.lastSeq)) victim = c;
    }
    if (victim) {
      this.clusters.delete(victim.id);
      this.evicted++;
    }
  }

  distinctAuthors(c: Cluster): number {
    return c.authors.size + c.unknownAuthors;
  }
}
