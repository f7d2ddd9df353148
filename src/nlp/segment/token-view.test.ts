import { describe, expect, it } from 'vitest';
import { fuzzText, rng } from './jieba-fuzz.js';
import { createSegmenter } from './segmenter.js';
import { isSeparator, TokenView } from './token-view.js';

const modifiers = new Set(['太', '很', '不']);

function view(tokens: string[]): TokenView {
  return new TokenView(tokens.join(''), () => tokens, modifiers);
}

describe('TokenView', () => {
  it('accepts spans on token boundaries and refuses spans that cut a word', () => {
    const v = view(['价格', '贵', '，', '尊贵', '版']);
    expect(v.aligned(0, 2)).toBe(true);
    expect(v.standsAlone(2)).toBe(true);
    expect(v.standsAlone(5)).toBe(false); // 贵 in 尊贵
  });
  it('allows a modifier before and a particle after inside the same token', () => {
    const v = view(['太贵', '了', '，', '贵了']);
    expect(v.standsAlone(1)).toBe(true); // 太贵
    expect(v.standsAlone(4)).toBe(true); // 贵了
  });
  it('cuts lazily, only when asked', () => {
    let cuts = 0;
    const v = new TokenView('油耗大概', () => {
      cuts++;
      return ['油耗', '大概'];
    }, modifiers);
    expect(cuts).toBe(0);
    expect(v.aligned(0, 3)).toBe(false);
    expect(v.aligned(0, 2)).toBe(true);
    expect(cuts).toBe(1);
  });
  it('cuts only the segments asked about, with the same boundaries as the whole-text cut', () => {
    const seg = createSegmenter(['油耗', '变速箱', '顿挫', '4S店', 'CR-V', '车机']);
    const texts = [
      '油耗大概8个，变速箱顿挫明显。去4S店看了 车机还是卡\r\n好评！',
      'CR-V的油耗…还行、尊贵版太贵了〔手机号〕高速 很稳 😀好',
      '  价格贵，尊贵版；A.B-C%d#e&f+g_h 大\t小\u3000多',
    ];
    for (const text of texts) {
      const whole = new TokenView(text, seg.cutRaw, modifiers, seg.cutRaw(text));
      const cuts: string[] = [];
      const lazy = new TokenView(text, (t) => {
        cuts.push(t);
        return seg.cutRaw(t);
      }, modifiers);
      lazy.hint(0, 2);
      for (let i = 0; i < text.length; i++) {
        for (let j = i + 1; j <= Math.min(text.length, i + 4); j++) expect(lazy.aligned(i, j), `${text} [${i}, ${j})`).toBe(whole.aligned(i, j));
      }
      // Never the whole text in one piece when it has separators: segments only.
      for (const c of cuts) expect([...c].some((ch) => ch !== '\n' && isSeparator(ch.charCodeAt(0)))).toBe(false);
    }
  });
  it('cuts segments straight to offsets through the cutter, with the boundaries of the whole-text cut', () => {
    const seg = createSegmenter(['油耗', '变速箱', '顿挫', '4S店', 'CR-V', '车机']);
    expect(seg.cutRaw.cutter).toBeDefined();
    const random = rng(3);
    const words = ['油耗', '变速箱', '顿挫', '价格', '贵', '尊贵', '太', '高速', '差不多', '车机', '很', '大概', '了'];
    for (let n = 0; n < 300; n++) {
      const text = fuzzText(random, words);
      const whole = new TokenView(text, seg.cutRaw, modifiers, seg.cutRaw(text));
      const lazy = new TokenView(text, seg.cutRaw, modifiers);
      for (let i = 0; i < text.length; i++) {
        for (let j = i + 1; j <= Math.min(text.length, i + 3); j++) expect(lazy.aligned(i, j), `${JSON.stringify(text)} [${i}, ${j})`).toBe(whole.aligned(i, j));
      }
    }
  });
  it('cuts hinted segments together, in one call', () => {
    let calls = 0;
    const seg = createSegmenter([]);
    const text = '价格贵，尊贵版，油耗高，空间大';
    const v = new TokenView(text, (t) => {
      calls++;
      return seg.cutRaw(t);
    }, modifiers);
    v.hint(0, 3);
    v.hint(4, 7);
    expect(v.standsAlone(2)).toBe(true);
    expect(v.standsAlone(5)).toBe(false);
    expect(calls).toBe(1);
    v.standsAlone(10); // 油耗高: not hinted, cut on demand
    expect(calls).toBe(2);
  });
});
