import { describe, expect, it } from 'vitest';
import { ClauseSplitter } from './clauses.js';
import { fixtureFrame } from './fixture-frame.js';
import { TermTrie } from './matcher.js';
import { Tagger } from './tagger.js';

describe('TermTrie', () => {
  it('prefers the longest of overlapping terms, even when a shorter one starts first', () => {
    const t = new TermTrie<string>();
    for (const w of ['换挡', '挡顿挫感', '顿挫']) t.add(w, w);
    expect(t.findAll('换挡顿挫感').map((m) => m.value)).toEqual(['挡顿挫感']);
  });
  it('matches ASCII case-insensitively and skips redaction placeholders', () => {
    const t = new TermTrie<string>();
    t.add('4S店', 'dealer');
    t.add('手机', 'phone');
    expect(t.findAll('去4s店，电话〔手机号〕').map((m) => [m.value, m.start])).toEqual([['dealer', 1]]);
  });
});

describe('Tagger', () => {
  const tagger = new Tagger(fixtureFrame());
  it('normalises Traditional terms so they match the normalised text', () => {
    expect(tagger.match('换挡顿挫').map((h) => h.leaf.id)).toEqual(['PWR.TRANS.JERK']);
    expect(tagger.terms).toContain('顿挫');
    expect(tagger.terms).not.toContain('頓挫');
  });
  it('applies context rules: 肉 counts only near 动力/油门/加速', () => {
    expect(tagger.match('油门有点肉').map((h) => h.leaf.id)).toContain('PWR.GEN.SLUGGISH');
    expect(tagger.match('肉很好吃')).toEqual([]);
  });
  it('counts a context word that reaches into the window (动力 ends 6 characters before 肉)', () => {
    expect(tagger.match('动力在高速上其实肉').map((h) => h.leaf.id)).toContain('PWR.GEN.SLUGGISH');
    expect(tagger.match('动力在高速上跑起来其实很肉').map((h) => h.leaf.id)).not.toContain('PWR.GEN.SLUGGISH');
  });
  it('reports spans in the text it was given', () => {
    const text = '这车油耗有点高';
    const [hit] = tagger.match(text);
    expect(hit && text.slice(hit.start, hit.end)).toBe('油耗');
  });
});

describe('ClauseSplitter', () => {
  const s = new ClauseSplitter();
  it('splits on punctuation and contrast words, keeping decimals and ASCII spaces', () => {
    const clauses = s.split('动力还行就是油耗太高，2.0T的 Model 3也一般。可是空间大');
    expect(clauses.map((c) => c.text)).toEqual(['动力还行', '就是油耗太高', '2.0T的 Model 3也一般', '可是空间大']);
    expect(clauses.map((c) => c.contrast)).toEqual([false, true, false, true]);
  });
  it('splits on a space between Chinese characters and marks questions', () => {
    const clauses = s.split('油耗高吗？ 动力不错 空间小');
    expect(clauses.map((c) => [c.text, c.question])).toEqual([
      ['油耗高吗', true],
      ['动力不错', false],
      ['空间小', false],
    ]);
  });
  it('gives clause offsets into the text', () => {
    const text = '好，但是差';
    for (const c of s.split(text)) expect(text.slice(c.start, c.end)).toBe(c.text);
  });
});
