import { describe, expect, it } from 'vitest';
import { createSegmenter } from './segmenter.js';

describe('createSegmenter', () => {
  const seg = createSegmenter(['顿挫', '拨箱', '给油', '异响', '胎噪', '风噪', '车机', '续航', '掉电', '充电桩', '4S店']);
  it('keeps every code-frame term as one token', () => {
    const tokens = seg.cut('低速拨箱有顿挫，给油没反应，胎噪风噪大，续航掉电快，去4S店装充电桩，车机有异响');
    for (const t of ['拨箱', '顿挫', '给油', '胎噪', '风噪', '续航', '掉电', '4S店', '充电桩', '车机', '异响']) expect(tokens).toContain(t);
  });
  it('keeps placeholders whole and drops whitespace', () => {
    expect(seg.cut('电话 〔手机号〕 联系')).toEqual(['电话', '〔手机号〕', '联系']);
  });
});
