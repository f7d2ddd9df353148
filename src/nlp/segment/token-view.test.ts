import { describe, expect, it } from 'vitest';
import { TokenView } from './token-view.js';

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
});
