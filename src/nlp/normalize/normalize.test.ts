import fc from 'fast-check';
import OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { normalizeText, toSimplified } from './normalize.js';

describe('normalizeText', () => {
  it('converts Traditional to Simplified with Taiwan phrases and reports script and region', () => {
    const r = normalizeText('軟體更新後螢幕很卡');
    expect(r.text).toBe('软件更新后屏幕很卡');
    expect(r.script).toBe('hant');
    expect(r.region).toBe('tw');
  });

  it('detects Hong Kong from Cantonese and regional car phrasing (波箱, 死火)', () => {
    const r = normalizeText('架車波箱有異音，成日死火');
    expect(r.text).toBe('架车变速箱有异响，成日熄火');
    expect(r.region).toBe('hk');
  });

  it('maps Taiwan 當機 to 死机 but keeps the idiom 当机立断', () => {
    expect(normalizeText('車機常常當機').text).toBe('车机常常死机');
    expect(normalizeText('当机立断').text).toBe('当机立断');
  });

  it('leaves Simplified text alone and reports cn', () => {
    const r = normalizeText('这台车的后备箱很大');
    expect(r).toEqual({ text: '这台车的后备箱很大', script: 'hans', region: 'cn' });
  });

  it('reports mixed script when both Simplified-only and Traditional-only characters occur', () => {
    expect(normalizeText('这辆車').script).toBe('mixed');
  });

  it('reports none without Han characters', () => {
    expect(normalizeText('Model 3 OK')).toEqual({ text: 'Model 3 OK', script: 'none', region: null });
  });

  it('folds full-width ASCII, keeps Chinese clause punctuation, collapses whitespace', () => {
    expect(normalizeText('  ＡＢＣ１２３　油耗\t\n高，但是！ ').text).toBe('ABC123 油耗 高，但是！');
  });

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const once = normalizeText(s).text;
        expect(normalizeText(once).text).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('the chained converters give the same output as the opencc-js presets', () => {
    const sentences = [
      '這台車的軟體更新後，螢幕常常當機，導航也很難用，記憶體不夠',
      '動力還行就是油耗太高，後排空間很大，乾淨的內飾我很喜歡',
      '架車嘅波箱成日有異音，去完4S店都係冇用，真係好擔心',
      '頭髮乾了再出門，皇后大道上塞車塞到天荒地老，著急也沒用',
      '滑鼠、網路、資訊、影片、程式、硬碟、隨身碟都是台灣用語',
    ];
    for (const [region, from] of [['tw', 'twp'], ['hk', 'hk'], [null, 'tw']] as const) {
      const official = OpenCC.Converter({ from, to: 'cn' });
      for (const t of sentences) expect(toSimplified(t, region)).toBe(official(t));
    }
  });

  it('folds CJK compatibility ideographs', () => {
    expect(normalizeText('\uf91d杆').text).toBe('栏杆');
  });
});
