import type { EnrichedEvent } from '../core/enriched-event.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../bus/memory.js';
import { readFeedbackEventFiles } from '../connectors/feedback-events/read.js';
import { silentLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';
import { createNlpStage } from '../nlp/stage.js';
import { NlpWorkerPool } from '../nlp/worker-pool.js';
import { FakeSink, PreparingFakeSink } from '../../test/support/fake-sink.js';
import { runReplay } from './replay.js';
import { defaultTopicNames } from './topics.js';

const good = (i: number, channel = 'social'): string =>
  JSON.stringify({
    channel,
    source: 'test',
    sourceId: `r${i}`,
    occurredAt: '2026-11-01T10:00:00+08:00',
    text: `第${i}条：换挡有点顿挫`,
    authorKey: null,
  });

function fixture(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'voc-replay-'));
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function replay(file: string, sink: FakeSink, bus = new MemoryBus(), pool?: Pick<NlpWorkerPool, 'process'>) {
  await bus.connect();
  const result = await runReplay({
    source: readFeedbackEventFiles(file),
    bus,
    sink,
    stage: await createNlpStage(),
    pool,
    topics: defaultTopicNames(),
    group: 'voc-nlp',
    batchSize: 7,
    logger: silentLogger(),
    metrics: new PipelineMetrics(),
  });
  await bus.close();
  return result;
}

/** What the store holds of each event's analysis, in id order: for comparing two runs. */
function analysis(sink: FakeSink): { id: string; nlp: EnrichedEvent['nlp'] }[] {
  return [...sink.events.values()].map((e) => ({ id: e.event.id, nlp: e.nlp })).sort((x, y) => x.id.localeCompare(y.id));
}

describe('runReplay', () => {
  it('accounts for every line: processed + dead-lettered = read, with reasons and line numbers', async () => {
    const lines = [
      good(1),
      '{not json',
      good(2, 'hotline'),
      JSON.stringify({ channel: 'fax', source: 't', sourceId: 'x', occurredAt: '2026-11-01T10:00:00Z', text: 'hi' }),
      JSON.stringify({ channel: 'survey', source: 't', sourceId: 'y', occurredAt: '2026-11-01T10:00:00Z' }),
      ...Array.from({ length: 40 }, (_, i) => good(100 + i, i % 2 ? 'dealer' : 'survey')),
    ];
    const sink = new FakeSink();
    const { counters, run } = await replay(fixture(lines), sink);
    expect(counters.read).toBe(45);
    expect(counters.processed).toBe(42);
    expect(counters.deadLettered).toBe(3);
    expect(counters.balanced()).toBe(true);
    expect(sink.events.size).toBe(42);
    expect(sink.deadLetters.map((l) => [l.position.split(':').pop(), l.code]).sort()).toEqual([
      ['2', 'BAD_JSON'],
      ['4', 'SCHEMA_INVALID'],
      ['5', 'SCHEMA_INVALID'],
    ]);
    expect(sink.deadLetters.find((l) => l.position.endsWith(':4'))?.reason).toMatch(/channel/);
    expect(sink.deadLetters.find((l) => l.position.endsWith(':5'))?.reason).toMatch(/text/);
    expect(sink.runs).toEqual([run]);
  });

  it('with the NLP stage on a worker thread, stores the same analysis and accounts the same', async () => {
    const lines = [
      good(1),
      '{not json',
      ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ ...JSON.parse(good(200 + i, i % 2 ? 'dealer' : 'survey')), text: `第${i}条：車機常常當機，电话13812345678，动力还行就是油耗太高` })),
    ];
    const file = fixture(lines);
    const inProcess = new FakeSink();
    const onThread = new FakeSink();
    const pool = await NlpWorkerPool.start({ workers: 1 });
    try {
      const a = await replay(file, inProcess);
      let analysedOnThread = 0;
      const counted = { process: (events: Parameters<NlpWorkerPool['process']>[0]) => ((analysedOnThread += events.length), pool.process(events)) };
      const b = await replay(file, onThread, new MemoryBus(), counted);
      expect(analysedOnThread).toBe(31);
      expect(b.counters.read).toBe(a.counters.read);
      expect(b.counters.processed).toBe(31);
      expect(b.counters.deadLettered).toBe(1);
      expect(b.counters.balanced()).toBe(true);
      expect(analysis(onThread)).toEqual(analysis(inProcess));
      expect(analysis(onThread).some((e) => e.nlp.redactions.mobile === 1 && e.nlp.hits.length > 0)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('when the NLP worker thread dies, analyses on the main thread and loses nothing', async () => {
    const file = fixture([good(1), '{not json', ...Array.from({ length: 20 }, (_, i) => good(300 + i, 'hotline'))]);
    let calls = 0;
    const dying = {
      process: () => {
        calls++;
        return Promise.reject(new Error('worker exited with code 1'));
      },
    };
    const reference = new FakeSink();
    const sink = new FakeSink();
    await replay(file, reference);
    const { counters } = await replay(file, sink, new MemoryBus(), dying);
    // Dropped after the first failure: at most the batches already running then (one per topic).
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(2);
    expect(counters.processed).toBe(21);
    expect(counters.deadLettered).toBe(1);
    expect(counters.balanced()).toBe(true);
    expect(analysis(sink)).toEqual(analysis(reference));
  });

  it('replaying the same input twice writes nothing new', async () => {
    const file = fixture(Array.from({ length: 30 }, (_, i) => good(i)));
    const sink = new FakeSink();
    const first = await replay(file, sink);
    const second = await replay(file, sink);
    expect(first.counters.written).toBe(30);
    expect(second.counters.written).toBe(0);
    expect(second.counters.duplicates).toBe(30);
    expect(sink.events.size).toBe(30);
  });

  it('survives a store outage without loss: failed batches are redelivered', async () => {
    const file = fixture(Array.from({ length: 50 }, (_, i) => good(i)));
    const sink = new FakeSink();
    sink.failNextWrites = 3;
    const { counters } = await replay(file, sink);
    expect(sink.failNextWrites).toBe(0);
    expect(sink.events.size).toBe(50);
    expect(counters.processed).toBe(50);
    expect(counters.balanced()).toBe(true);
  });

  it('dead-letters records the store rejects, per record, and keeps the rest', async () => {
    const file = fixture(Array.from({ length: 10 }, (_, i) => good(i)));
    const sink = new FakeSink();
    const { eventId } = await import('../core/feedback-event.js');
    sink.rejectIds.add(eventId('social', 'test', 'r3'));
    const { counters } = await replay(file, sink);
    expect(sink.events.size).toBe(9);
    expect(counters.deadLettered).toBe(1);
    expect(sink.deadLetters[0]?.stage).toBe('sink');
    expect(counters.balanced()).toBe(true);
  });

  it('names the channel and source of a record the store rejects, when the sink prepared it', async () => {
    const file = fixture(Array.from({ length: 10 }, (_, i) => good(i)));
    const sink = new PreparingFakeSink();
    const { eventId } = await import('../core/feedback-event.js');
    sink.rejectIds.add(eventId('social', 'test', 'r3'));
    sink.refuseOnPrepare.add(eventId('social', 'test', 'r5'));
    const { counters } = await replay(file, sink);
    expect(sink.prepared).toBe(10);
    expect(sink.events.size).toBe(8);
    expect(sink.deadLetters.map((l) => [l.stage, l.eventId, l.channel, l.source])).toEqual(
      expect.arrayContaining([
        ['sink', eventId('social', 'test', 'r3'), 'social', 'test'],
        ['sink', eventId('social', 'test', 'r5'), 'social', 'test'],
      ]),
    );
    expect(counters.deadLettered).toBe(2);
    expect(counters.balanced()).toBe(true);
  });

  it('handles channel topics concurrently and gathers their writes, each record counted once', async () => {
    const channels = ['social', 'hotline', 'survey', 'dealer', 'private_domain'];
    const file = fixture(Array.from({ length: 200 }, (_, i) => good(i, channels[i % 5])));
    const sink = new FakeSink();
    const channelsPerWrite: number[] = [];
    const write = sink.writeBatch.bind(sink);
    sink.writeBatch = async (events) => {
      channelsPerWrite.push(new Set(events.map((e) => e.event.channel)).size);
      await new Promise((r) => setTimeout(r, 2));
      return write(events);
    };
    const { counters } = await replay(file, sink);
    expect(sink.events.size).toBe(200);
    expect(counters.processed).toBe(200);
    expect(counters.written).toBe(200);
    expect(counters.balanced()).toBe(true);
    // A bus batch holds one channel's topic; some writes held records of several batches.
    expect(Math.max(...channelsPerWrite)).toBeGreaterThan(1);
  });
});

describe('createBatchProcessor', () => {
  it('takes an in-process record\'s decoded event as validated, without parsing its value again', async () => {
    const { createBatchProcessor } = await import('./process-batch.js');
    const { RunCounters } = await import('./accounting.js');
    const { parseFeedbackEventLine } = await import('../connectors/feedback-events/parse.js');
    const outcome = parseFeedbackEventLine(good(1), 'in.jsonl:1');
    if (outcome.kind !== 'event') throw new Error('fixture is not an event');
    const sink = new FakeSink();
    const counters = new RunCounters();
    const processBatch = createBatchProcessor({ stage: await createNlpStage(), sink, counters, logger: silentLogger(), metrics: new PipelineMetrics() });
    const record = { topic: 't', partition: 0, offset: '0', key: outcome.event.id, value: Buffer.from('{not json') };
    await processBatch({ topic: 't', partition: 0, records: [{ ...record, decoded: outcome.event }, { ...record, offset: '1' }] }, new AbortController().signal);
    expect([...sink.events.keys()]).toEqual([outcome.event.id]);
    expect(counters.processed).toBe(1);
    expect(sink.deadLetters.map((l) => l.code)).toEqual(['BAD_JSON']);
  });

  it('hands a large batch to a preparing sink in pieces, and accounts for every record', async () => {
    const { createBatchProcessor } = await import('./process-batch.js');
    const { RunCounters } = await import('./accounting.js');
    const { parseFeedbackEventLine } = await import('../connectors/feedback-events/parse.js');
    const records = Array.from({ length: 600 }, (_, i) => {
      const outcome = parseFeedbackEventLine(good(i), `in.jsonl:${i + 1}`);
      if (outcome.kind !== 'event') throw new Error('fixture is not an event');
      return { topic: 't', partition: 0, offset: String(i), key: outcome.event.id, value: Buffer.from(good(i)), decoded: outcome.event };
    });
    const sink = new PreparingFakeSink();
    sink.rejectIds.add(records[550]!.key);
    const counters = new RunCounters();
    const processBatch = createBatchProcessor({ stage: await createNlpStage(), sink, counters, logger: silentLogger(), metrics: new PipelineMetrics() });
    await processBatch({ topic: 't', partition: 0, records }, new AbortController().signal);
    // Encoded a few hundred at a time while the batch was analysed; written together.
    expect(sink.preparedPieces.length).toBeGreaterThan(1);
    expect(Math.max(...sink.preparedPieces)).toBeLessThan(600);
    expect(sink.preparedPieces.reduce((a, b) => a + b, 0)).toBe(600);
    expect(sink.writes).toEqual([sink.preparedPieces.length]);
    expect(sink.events.size).toBe(599);
    expect(counters.processed).toBe(599);
    expect(sink.deadLetters.map((l) => [l.eventId, l.channel])).toEqual([[records[550]!.key, 'social']]);
  });
});
