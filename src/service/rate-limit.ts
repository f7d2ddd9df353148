/**
 * A token bucket per key (one per credential): `burst` requests at once, refilled at `rate` per
 * second. Buckets that are full again are forgotten, so memory stays bounded by active senders.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.#buckets.set(key, b);
      this.#sweep(t);
      return { ok: true };
    }
    this.#buckets.set(key, b);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.rate)) };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #lastSweep = 0;
  #sweep(t: number): void {
    if (t - this.#lastSweep < 60_000) return;
    this.#lastSweep = t;
    for (const [k, b] of this.#buckets) if (b.tokens + ((t - b.at) / 1000) * this.rate >= this.burst) this.#buckets.delete(k);
  }
}
