import type { CodeHit, EnrichedEvent, NeedLayer, Polarity } from '../../src/core/enriched-event.js';
import { eventId, type Channel } from '../../src/core/feedback-event.js';
import type { CodeFrame } from '../../src/nlp/codeframe/types.js';

/** Test data for the sinks: EnrichedEvent objects built directly (no NLP stage involved). */
export const TEST_BUCKET_KEY = 'test-bucket-key-0123456789abcdef';

export interface HitSpec {
  code: string;
  sentiment?: Polarity;
  needLayer?: NeedLayer;
  department?: CodeHit['department'];
  clause?: string;
}

export interface EventSpec {
  sourceId: string;
  channel?: Channel;
  occurredAt?: string;
  author?: string | null;
  hits?: HitSpec[];
  vehicleSeries?: string;
  province?: string;
  dealerCode?: string;
  agentKey?: string;
}

export function hex32(seed: string): string {
  return eventId('survey', 'hex', seed);
}

export function makeEvent(spec: EventSpec): EnrichedEvent {
  const channel = spec.channel ?? 'survey';
  const source = `${channel}.test`;
  const occurredAt = spec.occurredAt ?? '2026-03-10T10:00:00+08:00';
  const hits: CodeHit[] = (spec.hits ?? []).map((h) => ({
    code: h.code,
    label: `label ${h.code}`,
    domain: h.code.split('.')[0] as string,
    domainLabel: `domain ${h.code.split('.')[0]}`,
    term: '异响',
    span: [0, 2],
    clause: h.clause ?? `${h.code} 的问题`,
    clauseIndex: 0,
    sentiment: h.sentiment ?? -1,
    intensity: 0.6,
    needLayer: h.needLayer ?? 'basic',
    department: h.department ?? 'quality',
    sentimentSource: 'lexicon',
  }));
  const polarity: Polarity = hits.length === 0 ? 0 : hits.some((h) => h.sentiment < 0) ? -1 : hits.some((h) => h.sentiment > 0) ? 1 : 0;
  const context: EnrichedEvent['event']['context'] = {};
  if (spec.vehicleSeries !== undefined) context.vehicleSeries = spec.vehicleSeries;
  if (spec.province !== undefined) context.province = spec.province;
  if (spec.dealerCode !== undefined) context.dealerCode = spec.dealerCode;
  if (spec.agentKey !== undefined) context.agentKey = spec.agentKey;
  return {
    event: {
      schemaVersion: 1,
      id: eventId(channel, source, spec.sourceId),
      channel,
      source,
      sourceId: spec.sourceId,
      occurredAt,
      receivedAt: '2026-03-10T12:00:00+08:00',
      text: '〔已脱敏〕',
      authorKey: spec.author === undefined ? hex32(`author-${spec.sourceId}`) : spec.author === null ? null : hex32(spec.author),
      context,
      consent: { coCreation: false },
    },
    nlp: {
      text: '〔已脱敏〕',
      script: 'hans',
      region: 'cn',
      tokens: [],
      redactions: {},
      hits,
      sentiment: { polarity, score: polarity },
      codeFrame: { version: 'test-1', hash: '0123456789abcdef' },
    },
  };
}

/** A deterministic mixed batch: n events over 5 channels, 20 codes, 200 authors, 8 weeks. */
export function makeMixedEvents(n: number, prefix = 'mix'): EnrichedEvent[] {
  const channels: Channel[] = ['hotline', 'survey', 'private_domain', 'social', 'dealer'];
  const layers: NeedLayer[] = ['basic', 'performance', 'delight'];
  const out: EnrichedEvent[] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + (i % 56);
    const date = new Date(Date.UTC(2026, 1, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const hits: HitSpec[] =
      i % 7 === 0
        ? []
        : [
            { code: `D${i % 4}.C${i % 3}.I${i % 20}`, sentiment: ((i % 3) - 1) as Polarity, needLayer: layers[i % 3] as NeedLayer },
            ...(i % 5 === 0 ? [{ code: `D9.C0.I${i % 6}`, sentiment: -1 as Polarity, needLayer: 'basic' as NeedLayer }] : []),
          ];
    out.push(
      makeEvent({
        sourceId: `${prefix}-${i}`,
        channel: channels[i % 5] as Channel,
        occurredAt: `${date}T0${i % 10}:15:00+08:00`,
        author: `a${i % 200}`,
        hits,
        vehicleSeries: `S${i % 3}`,
        province: ['广东', '浙江', '北京'][i % 3] as string,
        dealerCode: `DLR${i % 4}`,
        agentKey: hex32(`agent${i % 3}`),
      }),
    );
  }
  return out;
}

export const TEST_CODE_FRAME: CodeFrame = {
  version: 'test-1',
  hash: '0123456789abcdef',
  domains: [{ id: 'PWR', label: '动力', department: 'rnd' }],
  leaves: [
    {
      id: 'PWR.TRANS.JERK',
      label: '换挡顿挫',
      domainId: 'PWR',
      domainLabel: '动力',
      componentId: 'TRANS',
      componentLabel: '变速箱',
      terms: ['顿挫'],
      defaultPolarity: -1,
      needLayer: 'basic',
      department: 'rnd',
    },
  ],
};
