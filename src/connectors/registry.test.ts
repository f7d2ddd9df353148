import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';
import { ConfigError } from '../core/errors.js';
import { CHANNELS } from '../core/feedback-event.js';
import { END, type ParseOutcome } from './connector.js';
import { connectorRegistry, connectorDefinition } from './registry.js';
import { testPseudonymizer } from './test-helpers.js';

const ctx = () => ({ logger: silentLogger(), metrics: new PipelineMetrics(), signal: new AbortController().signal, pseudonymizer: testPseudonymizer() });

describe('connector registry', () => {
  it('has one definition per channel, named after it, with defaults for every setting', () => {
    expect(Object.keys(connectorRegistry).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) {
      const def = connectorDefinition(channel);
      expect(def).toMatchObject({ kind: 'connector', name: channel });
      expect(def.parseConfig(undefined)).toMatchObject({ encoding: 'auto', timezoneOffset: '+08:00', paths: [] });
    }
    expect(connectorRegistry.social.formats).toEqual(['json', 'jsonl']);
    expect(connectorRegistry.dealer.formats).toEqual(['json', 'jsonl', 'csv', 'tsv']);
  });

  it('names the key of a bad config value', () => {
    expect(() => connectorRegistry.hotline.parseConfig({ timezoneOffset: 'Asia/Shanghai' })).toThrow(ConfigError);
    expect(() => connectorRegistry.hotline.parseConfig({ timezoneOffset: 'Asia/Shanghai' })).toThrow(/connectors\.hotline\.timezoneOffset/);
    expect(() => connectorDefinition('email')).toThrow(/expected one of hotline, survey, private_domain, social, dealer/);
  });

  it('binds parsers for the HTTP ingest path: one context, duplicates remembered across calls', () => {
    const bound = connectorRegistry.social.bind({}, { pseudonymizer: testPseudonymizer() });
    const post = { platform: 'weibo', postId: '1', publishedAt: '2024-04-10 08:12:00', content: '车机卡顿' };
    expect(bound.json?.(post, 'http:1')[0]?.kind).toBe('event');
    expect(bound.json?.({ ...post, postId: '2' }, 'http:2')[0]).toMatchObject({ kind: 'skipped', reason: 'duplicate' });
    expect(bound.csv).toBeUndefined();
  });
});

describe('file connector (component form)', () => {
  it('connect → read batches → END → close, counting outcomes', async () => {
    const def = connectorRegistry.dealer;
    const c = ctx();
    const connector = def.create(def.parseConfig({ paths: ['examples/dealer'], batchSize: 3 }), c);
    await connector.connect();
    const outcomes: ParseOutcome[] = [];
    const sizes: number[] = [];
    for (;;) {
      const batch = await connector.read();
      if (batch === END) break;
      sizes.push(batch.outcomes.length);
      outcomes.push(...batch.outcomes);
      await batch.ack();
    }
    await connector.close();
    expect(sizes).toEqual([3, 3, 2]);
    expect(outcomes.filter((o) => o.kind === 'event')).toHaveLength(4);
    const received = await c.metrics.received.get();
    expect(received.values.reduce((n, v) => n + v.value, 0)).toBe(8);
    const dead = await c.metrics.deadLettered.get();
    expect(dead.values.reduce((n, v) => n + v.value, 0)).toBe(2);
  });

  it('refuses to connect without paths, and read() before connect()', async () => {
    const def = connectorRegistry.social;
    const connector = def.create(def.parseConfig({}), ctx());
    await expect(connector.connect()).rejects.toBeInstanceOf(ConfigError);
    await expect(connector.read()).rejects.toMatchObject({ code: 'CONNECTOR_NOT_CONNECTED' });
  });
});
