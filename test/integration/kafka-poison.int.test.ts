/**
 * Poison messages on the real broker: 100 bad records (not JSON, not a FeedbackEvent, too large)
 * mixed into 10,000 good ones on a raw topic. The consumer group runs the pipeline's batch
 * processor (NLP stage → ClickHouse server) over the Kafka bus: all 10,000 land in the store,
 * the 100 go to the dead-letter topic with their reasons in headers, and no partition stalls.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord, ConsumedRecord, Subscription } from '../../src/bus/bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { eventId, type Channel } from '../../src/core/feedback-event.js';
import { silentLogger } from '../../src/core/logger.js';
import { PipelineMetrics } from '../../src/core/metrics.js';
import { createNlpStage } from '../../src/nlp/stage.js';
import { RunCounters } from '../../src/runner/accounting.js';
import { createBatchProcessor } from '../../src/runner/process-batch.js';
import type { SqlSink } from '../../src/sinks/sql/sql-sink.js';
import { waitFor } from '../contract/bus-contract-suite.js';
import { dropDatabases, makeServerSink } from './clickhouse-support.js';
import { clickhouseAvailable, KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));
const available = kafkaAvailable(FILE) && clickhouseAvailable(FILE);

const CHANNELS: Channel[] = ['hotline', 'survey', 'social', 'dealer', 'private_domain'];
const TEXTS = ['换挡有点顿挫，座椅很舒服', '车机经常卡顿，导航不准', '销售顾问服务很热情', '油耗比宣传的高', '空调噪音大，希望改进'];

function goodRecord(i: number): { id: string; record: BusRecord } {
  const channel = CHANNELS[i % CHANNELS.length] as Channel;
  const source = `${channel}.it`;
  const sourceId = `r${i}`;
  const id = eventId(channel, source, sourceId);
  const event = {
    schemaVersion: 1,
    id,
    channel,
    source,
    sourceId,
    occurredAt: '2026-11-01T10:00:00+08:00',
    receivedAt: '2026-11-01T10:00:05+08:00',
    text: `第${i}条：${TEXTS[i % TEXTS.length]}`,
    authorKey: null,
  };
  return { id, record: { key: id, value: Buffer.from(JSON.stringify(event)) } };
}

/** 40 not JSON, 40 JSON that is not a FeedbackEvent, 20 larger than the record limit. */
function poisonRecord(j: number): { kind: string; record: BusRecord } {
  if (j % 5 < 2) return { kind: 'BAD_JSON', record: { key: `p${j}`, value: Buffer.from(`{"id": "p${j}", oops`) } };
  if (j % 5 < 4) return { kind: 'SCHEMA_INVALID', record: { key: `p${j}`, value: Buffer.from(JSON.stringify({ schemaVersion: 1, id: 'nope', text: 'x' })) } };
  return { kind: 'TOO_LARGE', record: { key: `p${j}`, value: Buffer.from(JSON.stringify({ text: '长'.repeat(10_000) })) } };
}

describe.runIf(available)('Kafka poison messages', () => {
  let bus: KafkaBus;
  let sink: SqlSink;
  const subs: Subscription[] = [];

  beforeAll(async () => {
    bus = new KafkaBus(KafkaBusConfigSchema.parse({ brokers: KAFKA_BROKERS, clientId: 'voc-it-poison' }));
    await bus.connect();
    sink = makeServerSink();
    await sink.connect();
  });

  afterAll(async () => {
    for (const s of subs) await s.stop();
    await bus.close();
    await sink.close();
    await dropDatabases();
  });

  it('10,000 good records are stored and 100 poison records reach the DLQ with reasons', async () => {
    const raw = randomName('voc.it.raw');
    const dlq = randomName('voc.it.dlq');
    await bus.ensureTopics([
      { name: raw, partitions: 3 },
      { name: dlq, partitions: 1 },
    ]);

    const good = Array.from({ length: 10_000 }, (_, i) => goodRecord(i));
    const poison = Array.from({ length: 100 }, (_, j) => poisonRecord(j));
    const mixed: BusRecord[] = [];
    // One poison record after every hundred good ones: every partition carries some.
    good.forEach((g, i) => {
      mixed.push(g.record);
      if (i % 100 === 99) mixed.push((poison[(i - 99) / 100] as { record: BusRecord }).record);
    });
    expect(mixed).toHaveLength(10_100);
    for (let i = 0; i < mixed.length; i += 1000) await bus.publish(raw, mixed.slice(i, i + 1000));

    const counters = new RunCounters();
    const metrics = new PipelineMetrics();
    const handler = createBatchProcessor({
      stage: await createNlpStage(),
      sink,
      counters,
      logger: silentLogger(),
      metrics,
      dlq: { bus, topic: dlq },
      maxRecordBytes: 16_384,
    });
    const group = randomName('g.nlp');
    subs.push(await bus.subscribe({ topics: [raw], group, maxBatchRecords: 500, handler }));
    await waitFor(() => counters.processed + counters.deadLettered >= 10_100, 170_000, 'every record processed or dead-lettered');
    await waitFor(async () => (await bus.lag(group, raw)) === 0, 60_000, 'lag 0');

    expect(counters.processed).toBe(10_000);
    expect(counters.deadLettered).toBe(100);
    const stored = JSON.parse(await sink.query('SELECT count(DISTINCT event_id) AS n FROM events')) as { n: string | number };
    expect(Number(stored.n)).toBe(10_000);

    const letters: ConsumedRecord[] = [];
    subs.push(
      await bus.subscribe({
        topics: [dlq],
        group: randomName('g.dlq'),
        handler: (batch) => {
          letters.push(...batch.records);
          return Promise.resolve();
        },
      }),
    );
    await waitFor(() => letters.length >= 100, 60_000, '100 dead letters on the DLQ topic');
    expect(letters).toHaveLength(100);
    const codes = new Map<string, number>();
    for (const l of letters) {
      // The runner's headers: the code under voc-dlq-code (deadLetterHeaders) or, before that, voc-dlq-reason.
      const code = l.headers?.['voc-dlq-code'] ?? l.headers?.['voc-dlq-reason'] ?? 'missing';
      codes.set(code, (codes.get(code) ?? 0) + 1);
      expect(l.headers?.['voc-dlq-stage']).toMatch(/^(bus|validate)$/);
      // The position names the raw record: topic/partition/offset.
      expect(l.headers?.['voc-position']).toMatch(new RegExp(`^${raw.replaceAll('.', '\\.')}/\\d+/\\d+$`));
    }
    const expected = new Map<string, number>();
    for (const p of poison) expected.set(p.kind, (expected.get(p.kind) ?? 0) + 1);
    expect(codes).toEqual(expected);
  });
});
