import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnlineClusterer } from './clusterer.js';
import { mulberry32 as rng } from '../../core/prng.js';

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}


/** A vector near one of the axes: three well-separated synthetic topics plus noise. */
function near(axis: number, dim: number, rand: () => number, noise = 0.1): Float32Array {
  const v = Array.from({ length: dim }, () => (rand() - 0.5) * noise);
  v[axis] = (v[axis] ?? 0) + 1;
  return unit(v);
}

const base = { similarity: 0.8, maxClusters: 50, maxExamples: 3, maxTermsPerCluster: 20, minDistinctAuthors: 3 };
const item = (id: string, vector: Float32Array, extra: Partial<{ terms: string[]; example: string; author: string | null; at: string }> = {}) => ({
  id,
  vector,
  at: extra.at ?? '2026-11-01T00:00:00.000Z',
  terms: extra.terms ?? [],
  example: extra.example ?? `text ${id}`,
  author: extra.author ?? null,
});

describe('OnlineClusterer', () => {
  it('groups vectors around three separated directions into three clusters, deterministically', () => {
    const run = () => {
      const rand = rng(42);
      const c = new OnlineClusterer(base);
      const assigned: string[] = [];
      for (let i = 0; i < 300; i++) assigned.push(c.add(item(`e${i}`, near(i % 3, 16, rand))).id);
      return { c, assigned };
    };
    const a = run();
    const b = run();
    expect(a.assigned).toEqual(b.assigned);
    expect(a.c.size).toBe(3);
    expect(a.c.all().map((x) => x.size)).toEqual([100, 100, 100]);
    // Members of one direction share a cluster; the clusters are named after their first member.
    expect(new Set(a.assigned.filter((_, i) => i % 3 === 1))).toEqual(new Set(['e1']));
  });

  it('starts a new cluster below the similarity threshold and joins at or above it', () => {
    const c = new OnlineClusterer({ ...base, similarity: 0.9 });
    const first = c.add(item('a', unit([1, 0])));
    // cos = 0.95 ≥ 0.9: joins
    expect(c.add(item('b', unit([0.95, Math.sqrt(1 - 0.95 ** 2)]))).id).toBe(first.id);
    // orthogonal: new cluster
    expect(c.add(item('c', unit([0, 1]))).id).toBe('c');
    expect(c.size).toBe(2);
  });

  it('moves the centroid with its members (running sum)', () => {
    const c = new OnlineClusterer({ ...base, similarity: 0.7 });
    c.add(item('a', unit([1, 0])));
    c.add(item('b', unit([1, 1]))); // cos 0.707 to [1,0]: joins
    // Centroid now between the two: a vector at 60° from [1,0] (cos 0.5) is within 0.7 of the new centroid.
    const joined = c.add(item('c', unit([0.5, Math.sqrt(3) / 2])));
    expect(joined.id).toBe('a');
  });

  it('evicts the smallest, least recently seen cluster beyond maxClusters', () => {
    const c = new OnlineClusterer({ ...base, maxClusters: 3, similarity: 0.99 });
    c.add(item('x', unit([1, 0, 0, 0])));
    c.add(item('x2', unit([1, 0, 0, 0]))); // x has 2 members
    c.add(item('y', unit([0, 1, 0, 0])));
    c.add(item('z', unit([0, 0, 1, 0])));
    c.add(item('w', unit([0, 0, 0, 1]))); // evicts y (size 1, older than z)
    expect(c.all().map((k) => k.id).sort()).toEqual(['w', 'x', 'z']);
    expect(c.evictions).toBe(1);
  });

  it('keeps at most maxExamples distinct examples and caps the author set', () => {
    const c = new OnlineClusterer(base);
    for (let i = 0; i < 10; i++) c.add(item(`e${i}`, unit([1, 0]), { example: i < 2 ? 'same' : `t${i}`, author: `a${i}` }));
    const k = c.all()[0];
    expect(k?.examples).toEqual(['same', 't2', 't3']);
    expect(k?.authors.size).toBe(3);
    expect(k && c.distinctAuthors(k)).toBe(3);
  });

  it('counts terms once per member and keeps at most maxTermsPerCluster counters', () => {
    const c = new OnlineClusterer({ ...base, maxTermsPerCluster: 3 });
    c.add(item('a', unit([1, 0]), { terms: ['异响', '异响', '底盘'] }));
    c.add(item('b', unit([1, 0]), { terms: ['异响', '刹车', '轮胎', '高速'] }));
    const k = c.all()[0];
    expect(k?.terms.get('异响')).toBe(2);
    expect(k?.terms.size).toBe(3);
  });

  it('stays within its bounds on any stream (memory is bounded)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.array(fc.array(fc.constantFrom('a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'), { maxLength: 6 }), { minLength: 1, maxLength: 150 }),
        (maxClusters, maxTerms, seed, termLists) => {
          const rand = rng(seed);
          const c = new OnlineClusterer({ ...base, similarity: 0.95, maxClusters, maxTermsPerCluster: maxTerms });
          let total = 0;
          termLists.forEach((terms, i) => {
            c.add(item(`e${i}`, unit(Array.from({ length: 8 }, () => rand() - 0.5)), { terms, author: `u${i}` }));
            total++;
          });
          expect(c.size).toBeLessThanOrEqual(maxClusters);
          for (const k of c.all()) {
            expect(k.terms.size).toBeLessThanOrEqual(maxTerms);
            expect(k.examples.length).toBeLessThanOrEqual(3);
            expect(k.authors.size).toBeLessThanOrEqual(base.minDistinctAuthors);
            expect(k.sum.length).toBe(8);
          }
          // Every item is either in a live cluster or was in an evicted one.
          const live = c.all().reduce((s, k) => s + k.size, 0);
          expect(live).toBeLessThanOrEqual(total);
          expect(live + c.evictions).toBeGreaterThanOrEqual(Math.min(total, c.size));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('holds 20,000 noisy vectors in maxClusters clusters', () => {
    const rand = rng(7);
    const c = new OnlineClusterer({ ...base, maxClusters: 25, similarity: 0.9 });
    for (let i = 0; i < 20_000; i++) c.add(item(`e${i}`, unit(Array.from({ length: 32 }, () => rand() - 0.5)), { terms: [`w${i % 997}`] }));
    expect(c.size).toBe(25);
    expect(c.evictions).toBeGreaterThan(0);
  });
});
