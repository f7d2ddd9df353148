import { describe, expect, it } from 'vitest';
import { SentimentRefinementConfigSchema } from './config.js';
import { applyDecisions, candidateClauses, decide, labelPolarity, neutralAllowed } from './refine.js';
import { hit } from './test-helpers.js';

const cfg = SentimentRefinementConfigSchema.parse({ refineNeutral: 'always' });

describe('candidate clauses', () => {
  it('sends weak clauses: code default, neutral, or low intensity', () => {
    const hits = [
      hit({ clauseIndex: 0, clause: 'A', sentimentSource: 'default', sentiment: -1, intensity: 0.5 }),
      hit({ clauseIndex: 1, clause: 'B', sentiment: 0, intensity: 0 }),
      hit({ clauseIndex: 2, clause: 'C', sentiment: 1, intensity: 0.1 }),
      hit({ clauseIndex: 3, clause: 'D', sentiment: -1, intensity: 0.9 }),
    ];
    expect(candidateClauses(hits, cfg)).toEqual([
      { clauseIndex: 0, text: 'A', reason: 'weak' },
      { clauseIndex: 1, text: 'B', reason: 'weak' },
      { clauseIndex: 2, text: 'C', reason: 'weak' },
    ]);
  });

  it('sends conflicting clauses even when each hit is strong', () => {
    const hits = [
      hit({ clauseIndex: 4, clause: '动力好但是油耗高', sentiment: 1, intensity: 0.9 }),
      hit({ clauseIndex: 4, clause: '动力好但是油耗高', sentiment: -1, intensity: 0.9, code: 'PWR.FUEL.HIGH' }),
    ];
    expect(candidateClauses(hits, cfg)).toEqual([{ clauseIndex: 4, text: '动力好但是油耗高', reason: 'conflicting' }]);
  });

  it('keeps a clause with one strong hit among weak ones, and respects the switches', () => {
    const hits = [
      hit({ clauseIndex: 0, sentimentSource: 'default' }),
      hit({ clauseIndex: 0, sentiment: -1, intensity: 0.9 }),
    ];
    expect(candidateClauses(hits, cfg)).toEqual([]);
    const off = SentimentRefinementConfigSchema.parse({ refineDefaults: false, refineNeutral: 'never' });
    expect(candidateClauses([hit({ sentimentSource: 'default' }), hit({ clauseIndex: 1, sentiment: 0 })], off)).toEqual([]);
  });

  it('sends all-neutral clauses only to a model that can answer neutral, under auto', () => {
    const auto = SentimentRefinementConfigSchema.parse({});
    expect(neutralAllowed(auto, ['negative', 'positive'])).toBe(false);
    expect(neutralAllowed(auto, ['负面', '中性', '正面'])).toBe(true);
    expect(neutralAllowed(SentimentRefinementConfigSchema.parse({ refineNeutral: 'always' }), ['negative', 'positive'])).toBe(true);
    const neutralHit = [hit({ sentiment: 0, sentimentSource: 'default', intensity: 0 })];
    expect(candidateClauses(neutralHit, auto, { neutral: false })).toEqual([]);
    expect(candidateClauses(neutralHit, auto, { neutral: true })).toHaveLength(1);
    // A code-default polarity that is not neutral is still unsure.
    expect(candidateClauses([hit({ sentimentSource: 'default', sentiment: -1 })], auto, { neutral: false })).toHaveLength(1);
  });

  it('leaves clauses a model already decided', () => {
    expect(candidateClauses([hit({ sentimentSource: 'model', intensity: 0.1 })], cfg)).toEqual([]);
  });
});

describe('decide', () => {
  const labels = ['negative', 'positive'];
  it('takes the top label at or above minConfidence', () => {
    expect(decide([0.2, 0.8], labels, cfg)).toEqual({ polarity: 1, label: 'positive', score: 0.8 });
    expect(decide([0.7, 0.3], labels, cfg)?.polarity).toBe(-1);
  });
  it('abstains below minConfidence or on an unknown label', () => {
    expect(decide([0.45, 0.55], labels, cfg)).toBeUndefined();
    expect(decide([0.1, 0.9], ['LABEL_0', 'LABEL_1'], cfg)).toBeUndefined();
    const mapped = SentimentRefinementConfigSchema.parse({ labels: { LABEL_0: -1, LABEL_1: 1 } });
    expect(decide([0.1, 0.9], ['LABEL_0', 'LABEL_1'], mapped)?.polarity).toBe(1);
  });
  it('reads common label spellings', () => {
    expect(labelPolarity('negative (stars 1, 2 and 3)', {})).toBe(-1);
    expect(labelPolarity('正面', {})).toBe(1);
    expect(labelPolarity('3 stars', {})).toBe(0);
    expect(labelPolarity('NEUTRAL', {})).toBe(0);
    expect(labelPolarity('sports', {})).toBeUndefined();
  });
});

describe('applyDecisions', () => {
  it('rewrites only the decided clauses and marks them as model', () => {
    const hits = [hit({ clauseIndex: 0, sentiment: 0 }), hit({ clauseIndex: 1, sentiment: -1 })];
    const out = applyDecisions(hits, new Map([[0, { polarity: 1 as const, label: 'positive', score: 0.9123 }]]));
    expect(out[0]).toMatchObject({ sentiment: 1, sentimentSource: 'model', intensity: 0.912 });
    expect(out[1]).toBe(hits[1]);
    expect(hits[0]?.sentimentSource).toBe('lexicon');
  });
});
