import { describe, expect, it } from 'vitest';
import { ConnectionError, RetriesExhaustedError, ValidationError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, retry } from './retry.js';

const noSleep = (): Promise<void> => Promise.resolve();

describe('retry', () => {
  it('retries retriable errors until success', async () => {
    let calls = 0;
    const delays: number[] = [];
    const out = await retry(
      () => {
        calls++;
        return calls < 3 ? Promise.reject(new ConnectionError('down')) : Promise.resolve('ok');
      },
      { sleep: noSleep, onRetry: (_e, _a, d) => delays.push(d), random: () => 0.5 },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('never retries permanent errors or bugs', async () => {
    for (const err of [new ValidationError('bad'), new TypeError('bug')]) {
      let calls = 0;
      await expect(
        retry(() => {
          calls++;
          return Promise.reject(err);
        }, { sleep: noSleep }),
      ).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });

  it('gives up with RetriesExhaustedError carrying the last cause', async () => {
    const err = await retry(() => Promise.reject(new ConnectionError('down')), { sleep: noSleep, policy: { maxAttempts: 4 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(4);
    expect((err as RetriesExhaustedError).cause).toBeInstanceOf(ConnectionError);
    expect((err as RetriesExhaustedError).retriable).toBe(false);
  });

  it('stops waiting when aborted', async () => {
    const ac = new AbortController();
    // Aborted while waiting 60 s before the second attempt: it must not wait.
    const p = retry(() => Promise.reject(new ConnectionError('down')), {
      signal: ac.signal,
      policy: { initialDelayMs: 60_000 },
      onRetry: () => setTimeout(() => ac.abort(new Error('shutdown')), 5),
    });
    await expect(p).rejects.toThrow('shutdown');
  });

  it('caps the backoff and spreads it with jitter', () => {
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 30, () => 0.5)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(80);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 1)).toBe(120);
  });
});
