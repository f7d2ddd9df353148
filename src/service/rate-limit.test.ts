import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate, per key', () => {
    let t = 0;
    const rl = new RateLimiter(2, 3, () => t);
    expect([rl.take('a'), rl.take('a'), rl.take('a')].every((r) => r.ok)).toBe(true);
    const refused = rl.take('a');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another credential has its own bucket.
    expect(rl.take('b').ok).toBe(true);
    t += 499;
    expect(rl.take('a').ok).toBe(false);
    t += 2;
    expect(rl.take('a').ok).toBe(true);
    expect(rl.take('a').ok).toBe(false);
    // Never more than the burst, however long the pause.
    t += 3_600_000;
    let allowed = 0;
    while (rl.take('a').ok) allowed++;
    expect(allowed).toBe(3);
  });

  it('says how long to wait at a slow rate', () => {
    let t = 0;
    const rl = new RateLimiter(0.1, 1, () => t);
    expect(rl.take('k').ok).toBe(true);
    expect(rl.take('k')).toEqual({ ok: false, retryAfterSeconds: 10 });
    t += 5000;
    expect(rl.take('k')).toEqual({ ok: false, retryAfterSeconds: 5 });
  });

  it('forgets buckets that are full again', () => {
    let t = 0;
    const rl = new RateLimiter(10, 5, () => t);
    for (let i = 0; i < 100; i++) rl.take(`k${i}`);
    expect(rl.size).toBe(100);
    t += 120_000;
    rl.take('fresh');
    expect(rl.size).toBe(1);
  });
});
