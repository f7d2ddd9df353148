import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedbackEvent } from '../core/feedback-event.js';
import { createNlpStage } from './stage.js';
import { fixtureFrame, fixtureLexicon } from './tag/fixture-frame.js';

const event: FeedbackEvent = {
  schemaVersion: 1,
  id: '0'.repeat(32),
  channel: 'hotline',
  source: 'hotline.transcript',
  sourceId: 'call-1',
  occurredAt: '2026-11-23T08:00:00+08:00',
  receivedAt: '2026-11-23T08:00:01+08:00',
  text: '車機常常當機，聯繫張先生13812345678',
  authorKey: null,
  context: {},
  consent: { coCreation: false },
};

describe('createNlpStage', () => {
  it('loads the real code frame and lexicon from config/ and reports version and hash', async () => {
    const stage = await createNlpStage({ tokens: false });
    expect(stage.codeFrame.version.length).toBeGreaterThan(0);
    expect(stage.codeFrame.hash).toMatch(/^[0-9a-f]{16}$/);
    const r = stage.analyze('車機常常當機，換擋頓挫，電話13812345678');
    expect(r.codeFrame).toEqual(stage.codeFrame);
    expect(r.tokens).toEqual([]);
  });

  it('process() replaces the event text with the redacted normalised text and keeps the envelope', async () => {
    const stage = await createNlpStage({ codeFrame: fixtureFrame(), lexicon: fixtureLexicon() });
    const [out] = stage.process(event);
    expect(out?.event.text).toBe('车机常常死机，联系〔姓名〕〔手机号〕');
    expect(out?.event.id).toBe(event.id);
    expect(out?.nlp.redactions).toEqual({ person_name: 1, mobile: 1 });
    expect(JSON.stringify(out)).not.toContain('13812345678');
    expect(JSON.stringify(out)).not.toContain('張先生');
  });

  it('never throws on arbitrary text; spans always point at their term; no inserted phone survives', async () => {
    const stage = await createNlpStage({ codeFrame: fixtureFrame(), lexicon: fixtureLexicon() });
    const text = fc.string({ unit: fc.constantFrom(...'車機油耗动力顿挫很不没太但是，。？ 高低好差肉加速1２aZ〔〕'), maxLength: 80 });
    fc.assert(
      fc.property(text, fc.stringMatching(/^1[3-9]\d{9}$/), text, (a, phone, b) => {
        const r = stage.analyze(`${a}，${phone}，${b}`);
        expect(r.text).not.toContain(phone);
        for (const h of r.hits) {
          expect(r.text.slice(h.span[0], h.span[1])).toBe(h.term);
          expect(r.text.slice(h.span[0], h.span[1]).length).toBeGreaterThan(0);
          expect(h.intensity).toBeGreaterThanOrEqual(0);
          expect(h.intensity).toBeLessThanOrEqual(1);
        }
        expect(Math.abs(r.sentiment.score)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(() => stage.analyze(s)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('counts a hit of a leaf with `also` for the listed leaves too: same term, span, clause and sentiment, once per clause', async () => {
    const frame = fixtureFrame();
    frame.domains.push({ id: 'HDL', label: '操控', department: 'rnd' });
    const base = frame.leaves.find((l) => l.id === 'PWR.GEN.ATTR')!;
    frame.leaves.push(
      { ...base, id: 'PWR.GEN.PERF', label: '综合性能', terms: ['性能'], also: ['HDL.GEN.ATTR'] },
      { ...base, id: 'HDL.GEN.ATTR', label: '操控', domainId: 'HDL', domainLabel: '操控', componentId: 'HDL.GEN', terms: ['操控'] },
    );
    const stage = await createNlpStage({ codeFrame: frame, lexicon: fixtureLexicon() });
    const r = stage.analyze('性能很好，性能和性能都不错，就是油耗高');
    const perf = r.hits.filter((h) => h.term === '性能').map((h) => [h.code, h.domainLabel, h.span[0], h.clauseIndex, h.sentiment]);
    expect(perf).toEqual([
      ['PWR.GEN.PERF', '动力', 0, 0, 1],
      ['HDL.GEN.ATTR', '操控', 0, 0, 1],
      ['PWR.GEN.PERF', '动力', 5, 1, 1],
      ['HDL.GEN.ATTR', '操控', 5, 1, 1],
    ]);
    // A leaf without `also` is unchanged.
    expect(r.hits.filter((h) => h.term === '油耗').map((h) => h.code)).toEqual(['FUEL.CONS.ATTR']);
    // A term of the leaf itself stands for its code in a clause before a hit through `also`.
    const both = stage.analyze('性能和操控都不错');
    expect(both.hits.map((h) => [h.code, h.term])).toEqual([
      ['PWR.GEN.PERF', '性能'],
      ['HDL.GEN.ATTR', '操控'],
    ]);
  });

  it('keeps one hit per code per clause: the one carrying the stronger opinion, else the first', async () => {
    const stage = await createNlpStage({ codeFrame: fixtureFrame(), lexicon: fixtureLexicon() });
    // 差 is too far from 加速 to judge it; it judges 动力, a term of the same code in the same clause.
    const r = stage.analyze('加速踩到底的那一刻动力差，加速和动力都一样');
    expect(r.hits.map((h) => [h.code, h.term, h.clauseIndex, h.sentiment])).toEqual([
      ['PWR.GEN.ATTR', '动力', 0, -1],
      ['PWR.GEN.ATTR', '加速', 1, 0],
    ]);
  });
});
