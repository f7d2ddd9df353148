import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNELS } from '../../core/feedback-event.js';
import { KafkaBusConfigSchema, rawTopic } from './config.js';
import { kafkaBusDefinition, pipelineTopics } from './index.js';

describe('KafkaBusConfigSchema', () => {
  it('fills every default from an empty object', () => {
    const c = KafkaBusConfigSchema.parse({});
    expect(c.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.topics).toEqual({ rawPrefix: 'voc.raw.', deadLetters: 'voc.dlq', enriched: null });
    expect(c.producer.compression).toBe('gzip');
    expect(c.consumer.maxBatchRecords).toBe(500);
    expect(c.consumer.partitionsConsumedConcurrently).toBe(4);
    expect(c.rawRetentionMs).toBeLessThan(c.deadLetterRetentionMs);
  });

  it('rejects unknown keys, naming them', () => {
    const r = KafkaBusConfigSchema.safeParse({ brokers: ['a:1'], acks: 1 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('acks');
    expect(KafkaBusConfigSchema.safeParse({ consumer: { autoCommit: true } }).success).toBe(false);
  });

  it('rejects brokers without a port and bad topic names', () => {
    expect(KafkaBusConfigSchema.safeParse({ brokers: ['localhost'] }).success).toBe(false);
    expect(KafkaBusConfigSchema.safeParse({ brokers: [] }).success).toBe(false);
    expect(KafkaBusConfigSchema.safeParse({ topics: { deadLetters: 'voc dlq' } }).success).toBe(false);
  });

  it('checks cross-field rules with the key, expected and got', () => {
    const r = KafkaBusConfigSchema.safeParse({ consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 3000 } });
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.path).toEqual(['consumer', 'heartbeatIntervalMs']);
    expect(issue?.message).toContain('6000');
    expect(KafkaBusConfigSchema.safeParse({ retryInitialDelayMs: 500, retryMaxDelayMs: 100 }).success).toBe(false);
  });

  it('describes every field', () => {
    const json = JSON.stringify(z.toJSONSchema(KafkaBusConfigSchema, { io: 'input' }));
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { description?: string }> }).properties;
      if (!props) return;
      for (const [k, v] of Object.entries(props)) {
        if (!v.description) undocumented.push(`${path}${k}`);
        walk(v, `${path}${k}.`);
      }
    };
    walk(JSON.parse(json), '');
    expect(json).toContain('maxBatchRecords');
    expect(undocumented).toEqual([]);
  });
});

describe('pipelineTopics', () => {
  it('lists one raw topic per channel with the short retention, then the dead letters', () => {
    const c = KafkaBusConfigSchema.parse({ partitions: 4 });
    const topics = pipelineTopics(c);
    expect(topics.map((t) => t.name)).toEqual([...CHANNELS.map((ch) => `voc.raw.${ch}`), 'voc.dlq']);
    expect(topics.every((t) => t.partitions === 4)).toBe(true);
    expect(topics[0]?.retentionMs).toBe(c.rawRetentionMs);
    expect(topics.at(-1)?.retentionMs).toBe(c.deadLetterRetentionMs);
    expect(rawTopic(c, 'hotline')).toBe('voc.raw.hotline');
  });

  it('adds the enriched topic only when configured', () => {
    const c = KafkaBusConfigSchema.parse({ topics: { enriched: 'voc.enriched', rawPrefix: 'x.' } });
    const topics = pipelineTopics(c, ['social']);
    expect(topics.map((t) => t.name)).toEqual(['x.social', 'voc.dlq', 'voc.enriched']);
  });
});

describe('kafkaBusDefinition', () => {
  it('is a bus named kafka whose schema is the config schema', () => {
    expect(kafkaBusDefinition.kind).toBe('bus');
    expect(kafkaBusDefinition.name).toBe('kafka');
    expect(kafkaBusDefinition.configSchema).toBe(KafkaBusConfigSchema);
  });
});
