import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeSink } from '../../test/support/fake-sink.js';
import { MemoryBus } from '../bus/memory.js';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import { silentLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';
import { Pseudonymizer } from '../core/pseudonym.js';
import { connectorDefinition, type BoundParsers } from '../connectors/registry.js';
import { RunCounters } from '../runner/accounting.js';
import { defaultTopicNames } from '../runner/topics.js';
import { ingest, RequestError, splitBody } from './ingest.js';
import { ServiceMetrics } from './metrics.js';

// Request bodies are outside input: whatever arrives, the handler answers (202 or a RequestError),
// never crashes, and accounts for every record it took.

const pseudonymizer = new Pseudonymizer('0123456789abcdef0123');

async function harness() {
  const bus = new MemoryBus();
  await bus.connect();
  const sink = new FakeSink();
  const metrics = new PipelineMetrics();
  const parsers = new Map<Channel, BoundParsers>(CHANNELS.map((c) => [c, connectorDefinition(c).bind(undefined, { pseudonymizer })]));
  const topics = defaultTopicNames();
  const deps = {
    bus,
    sink,
    rawTopic: (c: Channel) => topics.raw[c],
    parsers: (c: Channel) => parsers.get(c) as BoundParsers,
    logger: silentLogger(),
    metrics,
    serviceMetrics: new ServiceMetrics(metrics.registry, { processMetrics: false }),
    counters: new RunCounters(),
    publishTimeoutMs: 5000,
    retryAfterSeconds: 1,
    maxRecords: 50,
  };
  return { bus, sink, deps, topics };
}

const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.record({ responseId: fc.string(), answers: fc.array(fc.record({ text: fc.string() })), submittedAt: fc.string() }),
  fc.record({ msgid: fc.string(), msgtype: fc.constantFrom('text', 'image'), text: fc.record({ content: fc.string() }), msgtime: fc.integer() }),
  fc.record({ platform: fc.string(), postId: fc.string(), content: fc.string(), publishedAt: fc.string() }),
);

describe('ingest with arbitrary bodies', () => {
  it('splitBody: a RequestError or numbered records, each parsed or failed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(jsonish).map((a) => a.map((v) => JSON.stringify(v)).join('\n'))), fc.constantFrom('json' as const, 'ndjson' as const), (text, format) => {
        let records;
        try {
          records = splitBody(Buffer.from(text), format, { maxRecords: 20, maxRecordChars: 2000 });
        } catch (err) {
          expect(err).toBeInstanceOf(RequestError);
          return;
        }
        expect(records.length).toBeGreaterThan(0);
        for (let i = 1; i < records.length; i++) expect(records[i]!.n).toBeGreaterThan(records[i - 1]!.n);
        for (const r of records) expect('value' in r || r.error !== undefined).toBe(true);
      }),
    );
  });

  it('every record is published, dead-lettered or skipped, and what is published is what the answer lists', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.array(fc.oneof(jsonish.map((v) => JSON.stringify(v)), fc.string()), { minLength: 1, maxLength: 12 }), async (channel, lines) => {
        const { bus, sink, deps, topics } = await harness();
        const body = Buffer.from(lines.join('\n'));
        let result;
        try {
          result = await ingest(deps, channel, body, 'application/x-ndjson', 'req');
        } catch (err) {
          expect(err).toBeInstanceOf(RequestError);
          expect(await bus.lag('g', topics.raw[channel])).toBe(0);
          return;
        }
        expect(result.accepted + result.deadLettered + result.skipped).toBeGreaterThanOrEqual(result.records);
        expect(result.eventIds).toHaveLength(result.accepted);
        expect(await bus.lag('g', topics.raw[channel])).toBe(result.accepted);
        expect(sink.deadLetters).toHaveLength(result.deadLettered);
        expect(deps.counters.read).toBe(result.accepted + result.deadLettered + result.skipped);
      }),
      { numRuns: 150 },
    );
  });
});
