import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { sh } from './clickhouse-support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHeaders } from '../../src/service/credentials.js';
import { CLICKHOUSE_URL, clickhouseAvailable, KAFKA_BROKERS, kafkaAvailable, randomName } from './helpers/services.js';
import {
  CHANNELS,
  channelRecord,
  credentialEnv,
  hmacFor,
  http,
  metricValue,
  ndjson,
  startLoad,
  startServe,
  TEST_PSEUDONYM_KEY,
  tokenFor,
  waitFor,
  type ServeProcess,
} from './service-support.js';

/**
 * `voc serve` split by role over the real broker and server: one ingest-only instance and two
 * process-only instances sharing the consumer group, each a `voc serve` process. Skipped (with a
 * message) without VOC_KAFKA_BROKERS and VOC_CLICKHOUSE_URL; failing in CI (VOC_REQUIRE_SERVICES=1).
 */
const FILE = 'service-kafka.int.test.ts';
const available = kafkaAvailable(FILE) && clickhouseAvailable(FILE);

const run = randomName('voc-it-serve');
const database = `voc_it_serve_${run.split('.')[1]}`;
const dir = mkdtempSync(join(tmpdir(), 'voc-serve-kafka-'));
// JSON config (the loader reads .json as JSON): random topics, group and database per run.
const jsonConfig = join(dir, 'voc.json');
writeFileSync(
  jsonConfig,
  JSON.stringify({
    bus: {
      kind: 'kafka',
      kafka: { brokers: KAFKA_BROKERS, topics: { rawPrefix: `${run}.raw.`, deadLetters: `${run}.dlq` }, partitions: 3 },
    },
    store: { kind: 'clickhouse', clickhouse: { url: CLICKHOUSE_URL || 'http://127.0.0.1:8123', database } },
    pipeline: { group: `${run}.nlp`, batchSize: 200 },
    service: { rateLimit: { requestsPerSecond: 100000, burst: 100000 }, lagPollSeconds: 0.5, drainDeadlineSeconds: 60, publishTimeoutMs: 4000, retryAfterSeconds: 2 },
  }),
);

const env = { ...credentialEnv(), VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY };
const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));
const STOP_KAFKA = process.env.VOC_KAFKA_STOP_COMMAND ?? `${SCRIPT} down kafka`;
const START_KAFKA = process.env.VOC_KAFKA_START_COMMAND ?? `${SCRIPT} up kafka`;
const role = (r: string): string[] => ['--config', jsonConfig, '--roles', r];

describe.runIf(available)('voc serve split by role on Kafka and a ClickHouse server', () => {
  const ch = createClient({ url: CLICKHOUSE_URL });
  let ingest: ServeProcess;
  let procA: ServeProcess;
  let procB: ServeProcess;
  const acked = new Set<string>();

  const storedIds = async (): Promise<Set<string>> => {
    const rs = await ch.query({ query: `SELECT DISTINCT event_id FROM ${database}.events`, format: 'JSONEachRow' });
    const rows = await rs.json<{ event_id: string }>();
    return new Set(rows.map((r) => r.event_id));
  };
  const metrics = async (p: ServeProcess): Promise<string> => (await http(`${p.url}/metrics`)).body;

  beforeAll(async () => {
    ingest = await startServe(role('ingest'), env);
    procA = await startServe(role('process'), env);
    procB = await startServe(role('process'), env);
  });
  afterAll(async () => {
    for (const p of [ingest, procA, procB]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
    await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
    await ch.close();
  });

  it('every instance is ready; the ingest-only instance has no consumer, the process-only ones no ingest endpoint', async () => {
    for (const p of [ingest, procA, procB]) {
      const r = await http(`${p.url}/readyz`);
      expect(r.status, r.body).toBe(200);
      expect(r.json).toMatchObject({ bus: { name: 'kafka', ok: true }, store: { name: 'clickhouse', ok: true, migrations: 'done' } });
    }
    const onProcess = await http(`${procA.url}/v1/ingest/survey`, { body: '{}', headers: { Authorization: `Bearer ${tokenFor('survey')}` } });
    expect(onProcess.status).toBe(404);
  });

  it('records of every channel: 202 after the broker confirmed, and they land in the store; counters move by exactly the records sent', async () => {
    const before = await metrics(ingest);
    for (const channel of CHANNELS) {
      const r = await http(`${ingest.url}/v1/ingest/${channel}`, {
        body: ndjson(Array.from({ length: 8 }, (_, i) => channelRecord(channel, i, 'kafka'))),
        headers: { Authorization: `Bearer ${tokenFor(channel)}`, 'Content-Type': 'application/x-ndjson' },
      });
      expect(r.status, r.body).toBe(202);
      expect(r.json.accepted).toBe(8);
      const one = JSON.stringify(channelRecord(channel, 500, 'kafka-signed'));
      const s = await http(`${ingest.url}/v1/ingest/${channel}`, { body: one, headers: signHeaders(hmacFor(channel), one) });
      expect(s.status, s.body).toBe(202);
      for (const id of [...(r.json.eventIds ?? []), ...(s.json.eventIds ?? [])]) acked.add(id);
    }
    expect(acked.size).toBe(45);
    const after = await metrics(ingest);
    for (const channel of CHANNELS) {
      expect(metricValue(after, 'voc_records_received_total', { component: 'ingest', channel }) - metricValue(before, 'voc_records_received_total', { component: 'ingest', channel })).toBe(9);
      expect(metricValue(after, 'voc_records_sent_total', { component: 'ingest', channel }) - metricValue(before, 'voc_records_sent_total', { component: 'ingest', channel })).toBe(9);
    }
    await waitFor('the process instances to store every accepted record', async () => (await storedIds()).size >= acked.size);
    const stored = await storedIds();
    expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(acked.size);
    // The two process instances share the group: together they processed every record at least once.
    // (The counters move just after the store write, so they are polled too.)
    const nlp = async (): Promise<number> => metricValue(await metrics(procA), 'voc_records_sent_total', { component: 'nlp' }) + metricValue(await metrics(procB), 'voc_records_sent_total', { component: 'nlp' });
    await waitFor('the NLP counters of both instances to add up', async () => (await nlp()) >= acked.size, 30_000);
    expect(await nlp()).toBeGreaterThanOrEqual(acked.size);
  });

  it('a missing, wrong or other-channel credential or a stale signature is refused and nothing is published', async () => {
    const before = await metrics(ingest);
    const body = JSON.stringify(channelRecord('dealer', 1, 'kafka-refused'));
    const url = `${ingest.url}/v1/ingest/dealer`;
    expect((await http(url, { body })).status).toBe(401);
    expect((await http(url, { body, headers: { Authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).toBe(401);
    expect((await http(url, { body, headers: { Authorization: `Bearer ${tokenFor('survey')}` } })).status).toBe(403);
    const stale = await http(url, { body, headers: signHeaders(hmacFor('dealer'), body, Date.now() - 3_600_000) });
    expect(stale.status).toBe(401);
    expect(stale.json.error?.code).toBe('SIGNATURE_STALE');
    const after = await metrics(ingest);
    expect(metricValue(after, 'voc_records_sent_total', { component: 'ingest' })).toBe(metricValue(before, 'voc_records_sent_total', { component: 'ingest' }));
  });

  it('broker down: 503 with Retry-After and not ready; the sender retries the same body after it is back and nothing is lost', { timeout: 300_000 }, async () => {
    const body = ndjson(Array.from({ length: 10 }, (_, i) => channelRecord('hotline', i, 'outage')));
    const headers = { Authorization: `Bearer ${tokenFor('hotline')}`, 'Content-Type': 'application/x-ndjson' };
    let restarted = false;
    try {
      await sh(STOP_KAFKA);
      const refused = await http(`${ingest.url}/v1/ingest/hotline`, { body, headers });
      expect(refused.status, refused.body).toBe(503);
      expect(refused.json.error?.code).toBe('BUS_UNAVAILABLE');
      expect(refused.headers['retry-after']).toBe('2');
      expect(refused.body).not.toMatch(/\bat .*:\d+:\d+/);
      await waitFor('/readyz to say the bus is down', async () => (await http(`${ingest.url}/readyz`)).status === 503, 60_000);
      await sh(START_KAFKA);
      restarted = true;
    } finally {
      if (!restarted) await sh(START_KAFKA);
    }
    // What a sender does with a 503: wait Retry-After, send the same body again.
    let ok: Awaited<ReturnType<typeof http>> | undefined;
    await waitFor('the same request to be accepted after the broker is back', async () => {
      const r = await http(`${ingest.url}/v1/ingest/hotline`, { body, headers });
      if (r.status === 202) ok = r;
      else expect(r.status).toBe(503);
      return r.status === 202;
    }, 180_000);
    expect(ok?.json.accepted).toBe(10);
    for (const id of ok?.json.eventIds ?? []) acked.add(id);
    await waitFor('the records to be stored after the outage', async () => {
      const stored = await storedIds();
      return [...acked].every((id) => stored.has(id));
    }, 180_000);
    expect((await http(`${ingest.url}/readyz`)).status).toBe(200);
  });

  it('SIGTERM to the ingest instance and a process instance under load loses nothing: every 202-acknowledged record is in the store after restart', async () => {
    const load = startLoad(ingest.url, { concurrency: 4, batchSize: 25, tag: 'kload' });
    await waitFor('load to be acknowledged', () => Promise.resolve(load.acked() >= 1500), 120_000);
    const processedByA = metricValue(await metrics(procA), 'voc_records_sent_total', { component: 'nlp' });
    procA.child.kill('SIGTERM');
    ingest.child.kill('SIGTERM');
    const [ingestCode, procACode] = await Promise.all([ingest.exited, procA.exited]);
    load.stop();
    const result = await load.done;
    expect(ingestCode).toBe(0);
    expect(procACode).toBe(0);
    for (const id of result.acked) acked.add(id);
    expect(processedByA + metricValue(await metrics(procB), 'voc_records_sent_total', { component: 'nlp' })).toBeGreaterThan(0);

    // Restart both: the group takes up where the committed offsets left off.
    ingest = await startServe(role('ingest'), env);
    procA = await startServe(role('process'), env);
    await waitFor('every acknowledged record to be in the store', async () => {
      const stored = await storedIds();
      return [...acked].every((id) => stored.has(id));
    }, 180_000);
    const stored = await storedIds();
    expect(stored.size - acked.size).toBeLessThanOrEqual(result.failed * 25);

    for (const p of [ingest, procA, procB]) p.child.kill('SIGTERM');
    expect(await Promise.all([ingest.exited, procA.exited, procB.exited])).toEqual([0, 0, 0]);
  });
});
