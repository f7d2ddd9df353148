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

export class TermTrie<T> {
  private readonly root: TrieNode<T> = { next: null, value: undefined };
  /** The root's children by code unit: one array load rejects the (many) positions no term starts at. */
  private readonly rootIndex: (TrieNode<T> | undefined)[] = new Array<TrieNode<T> | undefined>(0x10000);
  private readonly scratchEnds: number[] = [];
  private readonly scratchVals: T[] = [];
  private size = 0;

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
    return true;
  }

  get count(): number {
    return this.size;
  }

  /** Longest term starting at `pos` that `keep` accepts, trying shorter ones in turn. */
  longestKeptAt(text: string, pos: number, limit: number, keep: (m: Match<T>) => boolean): Match<T> | null {
    if (pos >= limit) return null;
    let node: TrieNode<T> | undefined = this.rootIndex[fold(text.charCodeAt(pos))];
    if (node === undefined) return null;
    // Reused scratch (no allocation per position): ends and values of the terms starting at pos.
    const ends = this.scratchEnds;
    const vals = this.scratchVals;
    let n = 0;
    if (node.value !== undefined) {
      ends[0] = pos + 1;
      vals[0] = node.value;
      n = 1;
    }
    for (let i = pos + 1; i < limit; i++) {
      const next: Map<number, TrieNode<T>> | null = node.next;
      if (next === null) break;
      node = next.get(fold(text.charCodeAt(i)));
      if (node === undefined) break;
      if (node.value !== undefined) {
        ends[n] = i + 1;
        vals[n] = node.value;
        n++;
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      const m: Match<T> = { start: pos, end: ends[k] as number, value: vals[k] as T };
      if (keep(m)) return m;
    }
    return null;
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
   */
  findAll(text: string, keep?: (m: Match<T>) => boolean, from = 0, to = text.length): Match<T>[] {
    const candidates: Match<T>[] = [];
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === OPEN) {
        const close = text.indexOf('〕', i + 1);
        if (close !== -1 && close < to) {
          i = close;
          continue;
        }
      }
      const m = keep === undefined ? this.longestAt(text, i, to) : this.longestKeptAt(text, i, to, keep);
      if (m !== null) candidates.push(m);
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
    const byLength = [...candidates].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    // Occupied characters in a bitmap: linear in the text, however many candidates overlap.
    const occupied = new Uint8Array(to - from);
    const taken: Match<T>[] = [];
    for (const m of byLength) {
      let free = true;
      for (let i = m.start; i < m.end; i++) {
        if (occupied[i - from] === 1) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      occupied.fill(1, m.start - from, m.end - from);
      taken.push(m);
    }
    return taken.sort((a, b) => a.start - b.start);
  }
}

export { CLOSE as PLACEHOLDER_CLOSE_CODE, OPEN as PLACEHOLDER_OPEN_CODE };
