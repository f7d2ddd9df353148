/**
 * Automotive regional phrasing that OpenCC does not convert, applied after Traditional → Simplified
 * (so keys are written in Simplified). Hong Kong and Taiwan owners name parts and faults differently
 * from mainland owners; mapping them here lets one code frame term match every region.
 * `region` is a hint for region detection (a phrase typical of that region), not a filter.
 */
export interface AutoPhrase {
  /** Simplified source form; may carry a regex suffix guard such as (?!立断). */
  from: string;
  to: string;
  region?: 'hk' | 'tw';
}

export const AUTO_PHRASES: readonly AutoPhrase[] = [
  { from: '异音', to: '异响' },
  { from: '波箱', to: '变速箱', region: 'hk' },
  { from: '自动波', to: '自动挡', region: 'hk' },
  { from: '棍波', to: '手动挡', region: 'hk' },
  { from: '手波', to: '手动挡', region: 'hk' },
  { from: '死火', to: '熄火', region: 'hk' },
  { from: '车尾箱', to: '后备箱', region: 'hk' },
  { from: '軚盘', to: '方向盘', region: 'hk' },
  { from: '呔盘', to: '方向盘', region: 'hk' },
  { from: '煞车', to: '刹车', region: 'tw' },
  { from: '剎车', to: '刹车' },
  { from: '打档', to: '换挡', region: 'tw' },
  { from: '换档', to: '换挡' },
  { from: '避震器', to: '减震器', region: 'tw' },
  { from: '后照镜', to: '后视镜', region: 'tw' },
  { from: '倒车显影', to: '倒车影像', region: 'tw' },
  { from: '胎压侦测', to: '胎压监测', region: 'tw' },
  { from: '车道偏移', to: '车道偏离', region: 'tw' },
  { from: '影音主机', to: '车机', region: 'tw' },
  { from: '铝圈', to: '轮毂', region: 'tw' },
  { from: '轮框', to: '轮毂', region: 'tw' },
  { from: '保修厂', to: '维修厂', region: 'tw' },
  { from: '电池芯', to: '电芯', region: 'tw' },
  // 當機 (Taiwan: to crash) — but 当机立断 is an idiom everywhere.
  { from: '当机(?!立断)', to: '死机', region: 'tw' },
];

const byKey = new Map<string, AutoPhrase>();
for (const p of AUTO_PHRASES) byKey.set(p.from.replace(/\(.*\)$/, ''), p);

// Longest first so that 车尾箱 wins over a shorter key at the same position.
const PATTERN = new RegExp(
  [...AUTO_PHRASES].sort((a, b) => b.from.length - a.from.length).map((p) => p.from).join('|'),
  'g',
);

export interface AutoPhraseResult {
  text: string;
  hk: number;
  tw: number;
}

// The phrases' keys (guards dropped) by their first code unit: a text where no key occurs cannot
// match PATTERN (most texts, though 车, 手, 自, 后, 电 … start many words).
const BY_FIRST: (string[] | undefined)[] = new Array<string[] | undefined>(0x10000);
for (const key of byKey.keys()) (BY_FIRST[key.charCodeAt(0)] ??= []).push(key);

function anyKey(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const keys = BY_FIRST[text.charCodeAt(i)];
    if (keys === undefined) continue;
    for (const k of keys) if (text.startsWith(k, i)) return true;
  }
  return false;
}

export function applyAutoPhrases(text: string): AutoPhraseResult {
  if (!anyKey(text)) return { text, hk: 0, tw: 0 };
  PATTERN.lastIndex = 0;
  if (!PATTERN.test(text)) return { text, hk: 0, tw: 0 };
  let hk = 0;
  let tw = 0;
  PATTERN.lastIndex = 0;
  const out = text.replace(PATTERN, (m) => {
    const p = byKey.get(m);
    if (!p) return m;
    if (p.region === 'hk') hk++;
    else if (p.region === 'tw') tw++;
    return p.to;
  });
  return { text: out, hk, tw };
}
