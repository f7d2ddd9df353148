import { describe, expect, it } from 'vitest';
import { DiscoveryConfigSchema } from './config.js';
import { TopicDiscovery, genericCodeMatcher, inSample, isUncovered, topicTerms } from './discovery.js';
import { enriched, hit } from './test-helpers.js';

const v = (...x: number[]) => {
  const n = Math.hypot(...x);
  return Float32Array.from(x.map((y) => y / n));
};

describe('coverage', () => {
  it('matches generic codes by exact id, prefix and suffix', () => {
    const g = genericCodeMatcher(['GEN.*', '*.OTHER', 'SVC.MISC.ANY', '*.X.*']);
    expect(g('PWR.X.ANY')).toBe(true);
    expect(g('PWRXANY')).toBe(false); // dots are literal
    expect(genericCodeMatcher([])('A.B.C')).toBe(false);
    expect(g('GEN.PRAISE.ALL')).toBe(true);
    expect(g('PWR.TRANS.OTHER')).toBe(true);
    expect(g('SVC.MISC.ANY')).toBe(true);
    expect(g('PWR.TRANS.JERK')).toBe(false);
  });

  it('counts an event as uncovered with no hits or only generic hits', () => {
    const g = genericCodeMatcher(['*.OTHER']);
    expect(isUncovered(enriched('x'), g)).toBe(true);
    expect(isUncovered(enriched('x', [hit({ code: 'A.B.OTHER' })]), g)).toBe(true);
    expect(isUncovered(enriched('x', [hit({ code: 'A.B.OTHER' }), hit()]), g)).toBe(false);
  });

  it('keeps topic terms and drops stop words, placeholders, punctuation and single characters', () => {
    expect(topicTerms(['车机', '我们', '〔手机号〕', '，', '死', '2025', 'OTA', '黑屏'])).toEqual(['车机', 'ota', '黑屏']);
  });
});

describe('TopicDiscovery', () => {
  const config = DiscoveryConfigSchema.parse({ minTopicSize: 3, minDistinctAuthors: 2, similarity: 0.9, topTerms: 2, center: false });

  it('emits a cluster only past the size and distinct-author thresholds', () => {
    const d = new TopicDiscovery(config, 'embed-x');
    for (let i = 0; i < 3; i++) d.add(enriched('车机黑屏', [], { author: 'a'.repeat(32), tokens: ['车机', '黑屏'] }), v(1, 0));
    expect(d.topics()).toEqual([]); // 3 members, one author
    d.add(enriched('车机又黑屏了', [], { author: 'b'.repeat(32), tokens: ['车机', '黑屏'] }), v(1, 0.01));
    const [t] = d.topics();
    expect(t).toMatchObject({ size: 4, embeddingModel: 'embed-x' });
    expect(t?.examples).toEqual(['车机黑屏', '车机又黑屏了']);
    expect(t?.id).toMatch(/^t[0-9a-f]{15}$/);
  });

  it('ranks terms by cluster count weighted against terms common everywhere', () => {
    const d = new TopicDiscovery(config, 'm');
    // "保养" appears in every text, "座椅" and "加热" only in the seat cluster.
    for (let i = 0; i < 5; i++) d.add(enriched('座椅加热不热', [], { tokens: ['保养', '座椅', '加热'] }), v(1, 0));
    for (let i = 0; i < 20; i++) d.add(enriched('保养贵', [], { tokens: ['保养', '价格'] }), v(0, 1));
    const seat = d.topics().find((t) => t.examples.includes('座椅加热不热'));
    expect(seat?.topTerms).toEqual(['加热', '座椅']);
  });

  it('drains each changed topic once', () => {
    const d = new TopicDiscovery({ ...config, minDistinctAuthors: 1 }, 'm');
    for (let i = 0; i < 3; i++) d.add(enriched('a'), v(1, 0));
    expect(d.drain()).toHaveLength(1);
    expect(d.drain()).toHaveLength(0);
    d.add(enriched('a'), v(1, 0));
    expect(d.drain().map((t) => t.size)).toEqual([4]);
  });

  it('cuts examples to maxExampleChars', () => {
    const d = new TopicDiscovery({ ...config, minTopicSize: 1, minDistinctAuthors: 1, maxExampleChars: 4 }, 'm');
    d.add(enriched('一二三四五六'), v(1, 0));
    expect(d.topics()[0]?.examples).toEqual(['一二三四']);
  });
});

describe('centring', () => {
  it('spreads vectors that all share one strong common direction', () => {
    // Every vector = common direction + a small topic direction: raw cosines are all above 0.9.
    const common = (topic: number) => v(1, topic === 0 ? 0.3 : 0, topic === 1 ? 0.3 : 0);
    const make = (center: boolean) => {
      const d = new TopicDiscovery(DiscoveryConfigSchema.parse({ minTopicSize: 1, minDistinctAuthors: 1, similarity: 0.5, center }), 'm');
      const ids = [0, 1, 0, 1, 0, 1, 0, 1].map((t) => d.add(enriched(`t${t}`), common(t)));
      return new Set(ids.slice(2)).size;
    };
    expect(make(false)).toBe(1);
    expect(make(true)).toBe(2);
  });

  it('keeps state bounded to one vector and leaves the first vector as is', () => {
    const d = new TopicDiscovery(DiscoveryConfigSchema.parse({ center: true }), 'm');
    const first = v(1, 2, 3);
    expect([...d.centred(first)].map((x) => x.toFixed(5))).toEqual([...first].map((x) => x.toFixed(5)));
    const second = d.centred(v(3, 2, 1));
    expect(Math.hypot(...second)).toBeCloseTo(1, 5);
  });
});

describe('inSample', () => {
  it('picks about the given share of hex ids, the same ones every time', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(8, '0') + '0'.repeat(24));
    const picked = ids.filter((id) => inSample(id, 0.25));
    expect(picked.length / ids.length).toBeGreaterThan(0.2);
    expect(picked.length / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => inSample(id, 0.25))).toEqual(picked);
    expect(ids.every((id) => inSample(id, 1))).toBe(true);
    expect(ids.some((id) => inSample(id, 0))).toBe(false);
    expect(typeof inSample('not-hex', 0.5)).toBe('boolean');
  });
});
