import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../stage.js';
import { fixtureFrame, fixtureLexicon } from '../tag/fixture-frame.js';
import { buildLexicon } from './lexicon.js';

const analyze = createAnalyzer(fixtureFrame(), fixtureLexicon(), { tokens: false });

function polarities(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of analyze(text).hits) out[h.code] = h.sentiment;
  return out;
}

describe('aspect sentiment', () => {
  it('没有顿挫 is not a complaint; with praise it is positive', () => {
    expect(polarities('没有顿挫')['PWR.TRANS.JERK']).toBe(0);
    expect(polarities('顿挫没有了')['PWR.TRANS.JERK']).toBe(0);
    expect(polarities('顿挫')['PWR.TRANS.JERK']).toBe(-1);
    expect(analyze('变速箱没有顿挫，换挡很平顺').sentiment.polarity).toBe(1);
  });
  it('questions and hypotheticals are neutral: A不A, 请问, 如果', () => {
    expect(polarities('油耗高不高')['FUEL.CONS.ATTR']).toBe(0);
    expect(polarities('如果油耗太高就不买了')['FUEL.CONS.ATTR']).toBe(0);
  });
  it('顿挫感很明显 is negative, with more intensity than 顿挫', () => {
    const strong = analyze('顿挫感很明显').hits[0];
    expect(strong?.sentiment).toBe(-1);
    expect(strong?.intensity).toBeGreaterThan(0);
  });
  it('动力还行就是油耗太高 is mixed: power positive, fuel negative, document negative', () => {
    const r = analyze('动力还行就是油耗太高');
    expect(polarities('动力还行就是油耗太高')).toEqual({ 'PWR.GEN.ATTR': 1, 'FUEL.CONS.ATTR': -1 });
    expect(r.sentiment.polarity).toBe(-1);
    expect(r.hits.map((h) => h.clauseIndex)).toEqual([0, 1]);
  });
  it('scales decide magnitude words: 油耗不高 positive, 空间很大 positive, 价格高 negative', () => {
    expect(polarities('油耗不高，空间很大，价格高')).toEqual({ 'FUEL.CONS.ATTR': 1, 'SPC.GEN.ATTR': 1, 'PRC.GEN.ATTR': -1 });
  });
  it('preference-conditioned advice names an aspect without judging it: 要空间大就买…, 喜欢…就选…', () => {
    expect(polarities('要空间大就买七座')['SPC.GEN.ATTR']).toBe(0);
    expect(polarities('喜欢空间大就选它')['SPC.GEN.ATTR']).toBe(0);
    expect(polarities('在乎油耗低的话选混动')['FUEL.CONS.ATTR']).toBe(0);
    expect(polarities('空间很大，就买它')['SPC.GEN.ATTR']).toBe(1);
  });
  it('好了/好的 are grammar (done, OK) unless a degree adverb makes them the opinion 好', () => {
    expect(polarities('动力非常好了')['PWR.GEN.ATTR']).toBe(1);
    expect(polarities('动力好了')['PWR.GEN.ATTR']).toBe(0);
  });
  it('a mention without an opinion is neutral, from the default', () => {
    const [hit] = analyze('我想问一下油耗').hits;
    expect(hit?.sentiment).toBe(0);
    expect(hit?.sentimentSource).toBe('default');
  });
  it('questions are neutral', () => {
    expect(polarities('这车油耗高吗？')['FUEL.CONS.ATTR']).toBe(0);
  });
  it('one opinion judges every aspect waiting before it', () => {
    expect(polarities('动力和油耗都不太好')).toEqual({ 'PWR.GEN.ATTR': -1, 'FUEL.CONS.ATTR': -1 });
  });
  it('weak negation softens: 不太好 is less intense than 不好', () => {
    const weak = analyze('动力不太好').hits[0]?.intensity ?? 0;
    const strong = analyze('动力差').hits[0]?.intensity ?? 0;
    expect(weak).toBeLessThan(strong);
  });
  it('negation reaches over a comparison: 动力没有想象中那么好', () => {
    expect(polarities('动力没有想象中那么好')['PWR.GEN.ATTR']).toBe(-1);
    expect(polarities('动力没问题')['PWR.GEN.ATTR']).toBe(1);
  });
  it('"there is no <feature>" is a complaint; 没有 far from the aspect is not', () => {
    expect(polarities('可惜没有后备箱')['SPC.GEN.ATTR']).toBe(-1);
    expect(polarities('后备箱没有问题')['SPC.GEN.ATTR']).toBe(0);
  });
  it('grammar phrases do not read as opinions: 最好, 差不多', () => {
    expect(polarities('动力最好是试驾一下')['PWR.GEN.ATTR']).toBe(0);
    expect(polarities('动力差不多')['PWR.GEN.ATTR']).toBe(0);
    expect(polarities('动力差')['PWR.GEN.ATTR']).toBe(-1);
  });
  it('an opinion reaches its aspect across a comparison, not across unrelated words', () => {
    expect(polarities('油耗比我以前开的那台车低')['FUEL.CONS.ATTR']).toBe(1);
    expect(polarities('油耗这个东西我觉得其实还是比较低的')['FUEL.CONS.ATTR']).toBe(0);
  });
  it('多/少 after a numeral is "about", not a magnitude: 油耗13个多', () => {
    expect(polarities('油耗13个多')['FUEL.CONS.ATTR']).toBe(0);
    expect(polarities('油耗多')['FUEL.CONS.ATTR']).toBe(-1);
  });
  it('wishes and speculation are neutral: 希望, 可能', () => {
    expect(polarities('真不希望空间改得太小')['SPC.GEN.ATTR']).toBe(0);
    expect(polarities('油耗可能会高')['FUEL.CONS.ATTR']).toBe(0);
  });
  it('a clause-final one-character opinion counts even when glued to an unknown name', () => {
    expect(polarities('动力比奇骏好')['PWR.GEN.ATTR']).toBe(1);
    // …and before a comparative complement (一些, 一点, 多了) at the end of the clause (差一点 alone is "nearly").
    expect(polarities('动力比奇骏好一些')['PWR.GEN.ATTR']).toBe(1);
    expect(polarities('油耗比奇骏差一些了')['FUEL.CONS.ATTR']).toBe(-1);
  });
  it('好 before another opinion or magnitude is the degree adverb (油耗好高), alone an opinion (动力好)', () => {
    const lexicon = buildLexicon({ positive: ['好', '舒服'], negative: ['担心'], degree: [['好', 1.3]], more: ['高'], less: ['低'] });
    const a = createAnalyzer(fixtureFrame(), lexicon, { tokens: false });
    const pol = (t: string): number | undefined => a(t).hits.find((h) => h.code === 'FUEL.CONS.ATTR' || h.code === 'PWR.GEN.ATTR')?.sentiment;
    expect(pol('油耗好高')).toBe(-1);
    expect(pol('动力好')).toBe(1);
    expect(a('好担心').sentiment.polarity).toBe(-1);
  });
  it('emphatic negation is strong: 一点也不好 is more negative than 不好', () => {
    const emphatic = analyze('动力一点也不好').hits[0];
    const plain = analyze('动力不好').hits[0];
    expect(emphatic?.sentiment).toBe(-1);
    expect(emphatic?.intensity ?? 0).toBeGreaterThan(plain?.intensity ?? 1);
  });
  it('除了 X, 其他 …: the rest is judged apart from X', () => {
    expect(polarities('除了油耗高其他都满意')).toEqual({ 'FUEL.CONS.ATTR': -1 });
  });
  it('emoji carry opinions', () => {
    expect(polarities('空间👍')['SPC.GEN.ATTR']).toBe(1);
    expect(polarities('油耗😭')['FUEL.CONS.ATTR']).toBe(-1);
  });
  it('an opinion-bearing term judges the aspect before it: 车机常常死机', () => {
    expect(polarities('车机常常死机')).toEqual({ 'CPT.HU.ATTR': -1, 'CPT.HU.LAG': -1 });
  });
});

describe('createAnalyzer', () => {
  it('normalises, redacts and tags the must-show example', () => {
    const full = createAnalyzer(fixtureFrame(), fixtureLexicon());
    const r = full('車機常常當機，換擋頓挫，電話13812345678');
    expect(r.text).toBe('车机常常死机，换挡顿挫，电话〔手机号〕');
    expect(r.redactions).toEqual({ mobile: 1 });
    expect(r.script).toBe('hant');
    expect(r.tokens).toContain('〔手机号〕');
    expect(r.tokens).toContain('换挡顿挫');
    const codes = r.hits.map((h) => [h.code, h.sentiment]);
    expect(codes).toContainEqual(['CPT.HU.LAG', -1]);
    expect(codes).toContainEqual(['PWR.TRANS.JERK', -1]);
    for (const h of r.hits) expect(r.text.slice(h.span[0], h.span[1])).toBe(h.term);
    expect(r.codeFrame).toEqual({ version: 'fixture-1', hash: '0123456789abcdef' });
  });
});
