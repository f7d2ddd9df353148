import { CHANNELS, type Channel } from '../core/feedback-event.js';
import type { TopicSpec } from '../bus/bus.js';

export interface TopicNames {
  raw: Record<Channel, string>;
  dlq: string;
}

/** Default names: raw feedback per channel (short retention: unredacted text) and one DLQ. */
export function defaultTopicNames(prefix = 'voc'): TopicNames {
  const raw = Object.fromEntries(CHANNELS.map((c) => [c, `${prefix}.raw.${c}`])) as Record<Channel, string>;
  return { raw, dlq: `${prefix}.dlq` };
}

export function topicSpecs(names: TopicNames, partitions = 3, rawRetentionMs = 3 * 24 * 3600 * 1000): TopicSpec[] {
  return [
    ...CHANNELS.map((c) => ({ name: names.raw[c], partitions, retentionMs: rawRetentionMs })),
    { name: names.dlq, partitions: 1 },
  ];
}
