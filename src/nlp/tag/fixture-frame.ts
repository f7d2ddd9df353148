import type { CodeFrame, CodeFrameLeaf } from '../codeframe/types.js';
import type { Lexicon } from '../sentiment/lexicon.js';
import { buildLexicon } from '../sentiment/lexicon.js';
import type { Scale } from './tagger.js';

/**
 * A small code frame and lexicon for unit tests, so the engine's tests do not move when the real
 * frame (config/codeframe.yaml) is edited. The golden tests use the real frame.
 */
type LeafSpec = [id: string, label: string, terms: string[], extra?: Partial<CodeFrameLeaf> & { scale?: Scale }];

const DOMAINS: Record<string, string> = { PWR: '动力', FUEL: '油耗', CPT: '智能座舱', QLT: '质量', SPC: '空间', PRC: '价格' };

const LEAVES: LeafSpec[] = [
  ['PWR.GEN.ATTR', '动力表现', ['动力', '動力', '加速'], { scale: 'higher_better' }],
  ['PWR.GEN.WEAK', '动力不足', ['动力不足', '动力肉', '没劲'], { defaultPolarity: -1 }],
  ['PWR.GEN.SLUGGISH', '肉（语境）', ['肉'], { defaultPolarity: -1, context: { anyOf: ['动力', '油门', '加速'], window: 6 } }],
  ['PWR.TRANS.JERK', '变速箱顿挫', ['顿挫', '頓挫', '换挡顿挫', '拨箱'], { defaultPolarity: -1 }],
  ['PWR.TRANS.ATTR', '变速箱', ['变速箱', '波箱'], {}],
  ['FUEL.CONS.ATTR', '油耗水平', ['油耗'], { scale: 'higher_worse' }],
  ['CPT.HU.LAG', '车机卡顿/死机', ['车机卡', '死机', '当机', '卡顿'], { defaultPolarity: -1 }],
  ['CPT.HU.ATTR', '车机', ['车机', '車機'], {}],
  ['QLT.NVH.NOISE', '异响', ['异响', '異音'], { defaultPolarity: -1 }],
  ['SPC.GEN.ATTR', '空间', ['空间', '后备箱'], { scale: 'higher_better' }],
  ['PRC.GEN.ATTR', '价格', ['价格', '售价'], { scale: 'higher_worse' }],
  ['CPT.APP.ATTR', '手机互联', ['手机互联', '手机'], {}],
];

export function fixtureFrame(): CodeFrame {
  return {
    version: 'fixture-1',
    hash: '0123456789abcdef',
    domains: Object.entries(DOMAINS).map(([id, label]) => ({ id, label, department: 'rnd' as const })),
    leaves: LEAVES.map(([id, label, terms, extra]) => {
      const [d, c] = id.split('.') as [string, string];
      return {
        id,
        label,
        domainId: d,
        domainLabel: DOMAINS[d] ?? d,
        componentId: `${d}.${c}`,
        componentLabel: c,
        terms,
        defaultPolarity: 0,
        needLayer: 'performance' as const,
        department: 'rnd' as const,
        ...extra,
      };
    }),
  };
}

export function fixtureLexicon(): Lexicon {
  return buildLexicon({
    positive: ['好', '不错', '满意', '给力', ['还行', 0.6], '喜欢', '没问题', '平顺'],
    negative: ['差', '不好', '失望', '垃圾', '严重', '难受', '糟糕'],
    negation: ['不', '没', '没有', '无', '未', '并不', '从不'],
    weakNegation: ['不太', '不怎么', '不是很'],
    degree: [['很', 1.5], ['非常', 1.8], ['太', 2], ['特别', 1.8], ['有点', 0.6], ['稍微', 0.5], ['明显', 1.3], ['常常', 1.3]],
    contrast: ['但是', '不过', '就是', '可是', '但'],
    more: ['高', '大', '多', '快', '强'],
    less: ['低', '小', '少', '慢', '弱'],
  });
}
