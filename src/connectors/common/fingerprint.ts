import { createHash } from 'node:crypto';

/**
 * A bounded set of recently seen content fingerprints (LRU by insertion, refreshed on hit): memory
 * stays constant however long the feed. A copy of a post older than the window is counted again,
 * which is the price of bounded memory.
 */
export class FingerprintCache {
  readonly capacity: number;
  readonly #seen = new Map<string, true>();

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Records the fingerprint; returns true when it was already present (a duplicate). */
  checkAndAdd(fingerprint: string): boolean {
    if (this.#seen.has(fingerprint)) {
      this.#seen.delete(fingerprint);
      this.#seen.set(fingerprint, true);
      return true;
    }
    this.#seen.set(fingerprint, true);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    return false;
  }
}

/**
 * Normalised text for duplicate detection: full-width → half-width (NFKC), lower case, without
 * URLs, platform emoji codes like [赞], emoji, punctuation and white space. A copy-paste
 * with other spacing, punctuation or an appended emoji has the same fingerprint.
 */
export function normaliseForFingerprint(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\[[\p{Script=Han}\p{L}]{1,8}\]/gu, '')
    .replace(/[\p{P}\p{S}\p{Z}\p{C}\p{M}\s]/gu, '');
}

export function contentFingerprint(text: string): string {
  return createHash('sha256').update(normaliseForFingerprint(text)).digest('hex').slice(0, 32);
}
