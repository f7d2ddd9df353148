/**
 * Exact multi-term matcher over normalised text: a character trie scanned from every position, then
 * longest-match-wins over overlapping candidates. Tagging does not depend on word segmentation, so a
 * term matches even where jieba would cut differently (and it is several times faster than cutting).
 * ASCII letters match case-insensitively (4S店 = 4s店, OTA = ota). Placeholders written by the
 * redactor (〔…〕) are skipped as a whole.
 */
export interface TrieNode<T> {
  next: Map<number, TrieNode<T>> | null;
  value: T | undefined;
}

export interface Match<T> {
  start: number;
  end: number;
  value: T;
}

const OPEN = 0x3014; // 〔
const CLOSE = 0x3015; // 〕

function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

interface FlatTrie<T> {
  /** 1 + child of the root per code unit, 0 = none (16 bits while the trie has < 65,535 nodes: half the cache lines). */
  rootChild: Uint16Array | Int32Array;
  /** Value per node id (undefined: no term ends there). */
  values: (T | undefined)[];
  /** 1 when the node has children. */
  hasNext: Uint8Array;
  /** Edge table (open addressing, linear probing): parent id (−1 = empty slot), code unit, child id. */
  keyNode: Int32Array;
  keyChar: Int32Array;
  child: Int32Array;
  mask: number;
}

function slot(node: number, c: number, mask: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & mask;
}

export class TermTrie<T> {
  private readonly root: TrieNode<T> = { next: null, value: undefined };
  /** The root's children by code unit: one array load rejects the (many) positions no term starts at. */
  private readonly rootIndex: (TrieNode<T> | undefined)[] = new Array<TrieNode<T> | undefined>(0x10000);
  private readonly scratchEnds: number[] = [];
  private readonly scratchVals: T[] = [];
  private readonly scratchStarts: number[] = [];
  private readonly scratchCounts: number[] = [];
  private occupied = new Uint8Array(256);
  /** The one object `keep` is asked about in findAll's second pass. */
  private readonly probe: Match<T> = { start: 0, end: 0, value: undefined as T };
  private size = 0;
  /** The trie as flat arrays (built on first search after an add): see `compile`. */
  private flat: FlatTrie<T> | null = null;

  /** Adds a term; returns false (and keeps the first value) when the term is already present. */
  add(term: string, value: T): boolean {
    if (term.length === 0) return false;
    let node = this.root;
    for (let i = 0; i < term.length; i++) {
      const c = fold(term.charCodeAt(i));
      node.next ??= new Map();
      let child = node.next.get(c);
      if (!child) {
        child = { next: null, value: undefined };
        node.next.set(c, child);
        if (node === this.root) this.rootIndex[c] = child;
      }
      node = child;
    }
    if (node.value !== undefined) return false;
    node.value = value;
    this.size++;
    this.flat = null;
    return true;
  }

  /**
   * Numbers the nodes (root = 0) and puts every edge in one open-addressing table keyed by
   * (node, code unit): a step is a multiply, a mask and typed-array loads instead of a Map lookup.
   */
  private compile(): FlatTrie<T> {
    const rootIds = new Int32Array(0x10000).fill(-1);
    const values: (T | undefined)[] = [undefined];
    const hasNext: number[] = [this.root.next === null ? 0 : 1];
    const edges: [number, number, number][] = [];
    const queue: [TrieNode<T>, number][] = [[this.root, 0]];
    for (let q = 0; q < queue.length; q++) {
      const [node, id] = queue[q] as [TrieNode<T>, number];
      if (node.next === null) continue;
      for (const [c, child] of node.next) {
        const cid = values.length;
        values.push(child.value);
        hasNext.push(child.next === null ? 0 : 1);
        if (id === 0) rootIds[c] = cid;
        else edges.push([id, c, cid]);
        queue.push([child, cid]);
      }
    }
    let size = 16;
    while (size < edges.length * 2) size *= 2;
    const mask = size - 1;
    const keyNode = new Int32Array(size).fill(-1);
    const keyChar = new Int32Array(size);
    const child = new Int32Array(size);
    for (const [id, c, cid] of edges) {
      let h = slot(id, c, mask);
      while (keyNode[h] !== -1) h = (h + 1) & mask;
      keyNode[h] = id;
      keyChar[h] = c;
      child[h] = cid;
    }
    const rootChild = values.length < 0xffff ? new Uint16Array(0x10000) : new Int32Array(0x10000);
    for (let c = 0; c < 0x10000; c++) rootChild[c] = (rootIds[c] as number) + 1;
    this.flat = { rootChild, values, hasNext: Uint8Array.from(hasNext), keyNode, keyChar, child, mask };
    return this.flat;
  }

  get count(): number {
    return this.size;
  }

  /** Longest term starting at `pos` (ending at or before `limit`), or null. */
  longestAt(text: string, pos: number, limit = text.length): Match<T> | null {
    if (pos >= limit) return null;
    let node: TrieNode<T> | undefined = this.rootIndex[fold(text.charCodeAt(pos))];
    if (node === undefined) return null;
    let best: Match<T> | null = node.value !== undefined ? { start: pos, end: pos + 1, value: node.value } : null;
    for (let i = pos + 1; i < limit; i++) {
      const next: Map<number, TrieNode<T>> | null = node.next;
      if (next === null) break;
      node = next.get(fold(text.charCodeAt(i)));
      if (node === undefined) break;
      if (node.value !== undefined) best = { start: pos, end: i + 1, value: node.value };
    }
    return best;
  }

  /**
   * At each position the longest term passing `keep` (a shorter one is tried when the longest is
   * refused), reduced to a non-overlapping set where the longer match wins (ties: the earlier one).
   * Sorted by start.
   *
   * With `keep`, the text is scanned first and `keep` asked afterwards, in the same order (position
   * by position, longest first): `onCandidate(start, end)` sees every position where some term
   * starts (end = its longest term) before the first `keep` call, so a costly check can prepare
   * for all of them at once (the token view cuts the segments it will be asked about in one call).
   * `keep` must not hold on to its argument (the refused ones are not kept).
   */
  findAll(text: string, keep?: (m: Match<T>) => boolean, from = 0, to = text.length, onCandidate?: (start: number, end: number) => void): Match<T>[] {
    const candidates: Match<T>[] = [];
    if (keep === undefined) {
      for (let i = from; i < to; i++) {
        if (text.charCodeAt(i) === OPEN) {
          const close = text.indexOf('〕', i + 1);
          if (close !== -1 && close < to) {
            i = close;
            continue;
          }
        }
        const m = this.longestAt(text, i, to);
        if (m !== null) candidates.push(m);
      }
    } else {
      // Pass 1: every term at every position, into flat scratch arrays (no allocation per position).
      const starts = this.scratchStarts;
      const counts = this.scratchCounts;
      const ends = this.scratchEnds;
      const vals = this.scratchVals;
      const { rootChild, values, hasNext, keyNode, keyChar, child, mask } = this.flat ?? this.compile();
      let np = 0;
      let ne = 0;
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c === OPEN) {
          const close = text.indexOf('〕', i + 1);
          if (close !== -1 && close < to) {
            i = close;
            continue;
          }
        }
        let node = (rootChild[fold(c)] as number) - 1;
        if (node < 0) continue;
        const first = ne;
        let v = values[node];
        if (v !== undefined) {
          ends[ne] = i + 1;
          vals[ne] = v;
          ne++;
        }
        for (let j = i + 1; j < to && hasNext[node] === 1; j++) {
          // The edge (node, c) in the open-addressing table, or none.
          const cj = fold(text.charCodeAt(j));
          let h = slot(node, cj, mask);
          let k = keyNode[h] as number;
          while (k !== -1 && (k !== node || keyChar[h] !== cj)) {
            h = (h + 1) & mask;
            k = keyNode[h] as number;
          }
          if (k === -1) break;
          node = child[h] as number;
          v = values[node];
          if (v !== undefined) {
            ends[ne] = j + 1;
            vals[ne] = v;
            ne++;
          }
        }
        if (ne === first) continue;
        starts[np] = i;
        counts[np] = ne - first;
        np++;
        if (onCandidate !== undefined) onCandidate(i, ends[ne - 1] as number);
      }
      // Pass 2: at each position the longest term that `keep` accepts. `keep` is asked about one
      // reused object (it must not hold on to it); a Match is made only for the accepted one.
      const probe = this.probe;
      let e = 0;
      for (let p = 0; p < np; p++) {
        const start = starts[p] as number;
        const n = counts[p] as number;
        for (let k = e + n - 1; k >= e; k--) {
          const end = ends[k] as number;
          const value = vals[k] as T;
          probe.start = start;
          probe.end = end;
          probe.value = value;
          if (keep(probe)) {
            candidates.push({ start, end, value });
            break;
          }
        }
        e += n;
      }
      probe.value = undefined as T;
    }
    if (candidates.length < 2) return candidates;
    // Fast path: already disjoint (the usual case).
    let disjoint = true;
    for (let k = 1; k < candidates.length; k++) {
      if ((candidates[k] as Match<T>).start < (candidates[k - 1] as Match<T>).end) {
        disjoint = false;
        break;
      }
    }
    if (disjoint) return candidates;
    // Longest first, ties by start (starts are distinct: one candidate per position), each taken
    // when its characters are still free; then back in start order. Lengths are few, so the order
    // is walked length by length instead of sorting.
    let maxLen = 0;
    for (const m of candidates) if (m.end - m.start > maxLen) maxLen = m.end - m.start;
    // Occupied characters in a bitmap: linear in the text, however many candidates overlap.
    const span = to - from;
    if (this.occupied.length < span) this.occupied = new Uint8Array(Math.max(span, 2 * this.occupied.length));
    const occupied = this.occupied;
    occupied.fill(0, 0, span);
    const taken = new Uint8Array(candidates.length);
    for (let len = maxLen; len >= 1; len--) {
      for (let k = 0; k < candidates.length; k++) {
        const m = candidates[k] as Match<T>;
        if (m.end - m.start !== len) continue;
        let free = true;
        for (let i = m.start; i < m.end; i++) {
          if (occupied[i - from] === 1) {
            free = false;
            break;
          }
        }
        if (!free) continue;
        occupied.fill(1, m.start - from, m.end - from);
        taken[k] = 1;
      }
    }
    const out: Match<T>[] = [];
    for (let k = 0; k < candidates.length; k++) if (taken[k] === 1) out.push(candidates[k] as Match<T>);
    return out;
  }
}

export { CLOSE as PLACEHOLDER_CLOSE_CODE, OPEN as PLACEHOLDER_OPEN_CODE };
