import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHeaders } from '../../src/service/credentials.js';
import {
  CHANNELS,
  channelRecord,
  credentialEnv,
  hmacFor,
  http,
  metricValue,
  ndjson,
  REPO,
  startLoad,
  startServe,
  TEST_PSEUDONYM_KEY,
  tokenFor,
  waitFor,
  type ServeProcess,
} from './service-support.js';

/**
 * `voc serve` on the embedded default (memory bus + chDB in one process), started as a user starts
 * it. Needs no external service, so it always runs. The same scenarios on Kafka and a ClickHouse
 * server are in service-kafka.int.test.ts.
 */

const MAX_BODY = 65_536;
const dir = mkdtempSync(join(tmpdir(), 'voc-serve-'));
const store = join(dir, 'store');
const configFile = join(dir, 'voc.yaml');
writeFileSync(configFile, `service:\n  maxBodyBytes: ${MAX_BODY}\n  rateLimit:\n    requestsPerSecond: 100000\n    burst: 100000\n  lagPollSeconds: 0.5\n`);
const env = { ...credentialEnv(), VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY };
const args = ['--config', configFile, '--store', store];

function voc(argv: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, VOC_KAFKA_BROKERS: '', VOC_CLICKHOUSE_URL: '', VOC_PSEUDONYM_KEY: '', ...extraEnv },
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function storedIds(): Set<string> {
  const res = voc(['sql', '--store', store, '--format', 'tsv', 'SELECT event_id FROM events'], { VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
  expect(res.stderr).not.toMatch(/error/i);
  return new Set(res.stdout.split('\n').filter(Boolean));
}

const metrics = async (url: string): Promise<string> => (await http(`${url}/metrics`)).body;

describe('voc serve refuses to start without its secrets', () => {
  it('without VOC_PSEUDONYM_KEY: exit 2 and a clear message', () => {
    const res = voc(['serve', '--port', '0', '--store', join(dir, 'nokey')], credentialEnv());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/VOC_PSEUDONYM_KEY is not set/);
    expect(res.stdout).not.toMatch(/listening/);
  });

  it('with the ingest role and no credential: exit 2 naming the variables', () => {
    const res = voc(['serve', '--port', '0', '--store', join(dir, 'nocred')], { VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/VOC_INGEST_TOKEN_<CHANNEL>/);
  });
});

describe('voc serve on the embedded default', () => {
  let serve: ServeProcess;
  /** Every event id a 202 answer listed, over the whole file. */
  const acked = new Set<string>();
  const ackedByChannel = new Map<string, number>();

  beforeAll(async () => {
    serve = await startServe(args, env);
  });
  afterAll(() => {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
  });

  it('is alive and ready: bus and store reachable, migrations done', async () => {
    expect((await http(`${serve.url}/healthz`)).status).toBe(200);
    const ready = await http(`${serve.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, bus: { name: 'memory', ok: true }, store: { name: 'chdb', ok: true, migrations: 'done' } });
  });

  it('accepts records of every channel with a token (NDJSON) or a signature (one record): 202 with event ids, counters move by exactly the records sent', async () => {
    const before = await metrics(serve.url);
    for (const channel of CHANNELS) {
      const batch = Array.from({ length: 5 }, (_, i) => channelRecord(channel, i, 'first'));
      const r = await http(`${serve.url}/v1/ingest/${channel}`, {
        body: ndjson(batch),
        headers: { Authorization: `Bearer ${tokenFor(channel)}`, 'Content-Type': 'application/x-ndjson' },
      });
      expect(r.status, r.body).toBe(202);
      expect(r.json).toMatchObject({ channel, records: 5, accepted: 5, deadLettered: 0, skipped: 0 });
      const one = JSON.stringify(channelRecord(channel, 99, 'signed'));
      const s = await http(`${serve.url}/v1/ingest/${channel}`, { body: one, headers: { ...signHeaders(hmacFor(channel), one), 'Content-Type': 'application/json' } });
      expect(s.status, s.body).toBe(202);
      expect(s.json.accepted).toBe(1);
      const ids = [...(r.json.eventIds ?? []), ...(s.json.eventIds ?? [])];
      expect(new Set(ids).size).toBe(6);
      for (const id of ids) acked.add(id);
      ackedByChannel.set(channel, 6);
    }
    const after = await metrics(serve.url);
    for (const channel of CHANNELS) {
      const delta = (name: string, labels: Record<string, string>) => metricValue(after, name, labels) - metricValue(before, name, labels);
      expect(delta('voc_records_received_total', { component: 'ingest', channel })).toBe(6);
      expect(delta('voc_records_sent_total', { component: 'ingest', channel })).toBe(6);
      expect(delta('voc_ingest_records_total', { channel, outcome: 'accepted' })).toBe(6);
      expect(delta('voc_http_requests_total', { route: 'ingest', channel, status: '202' })).toBe(2);
    }
  });

  it('refuses a missing, wrong or other-channel credential and a stale signature; publishes nothing', async () => {
    const before = await metrics(serve.url);
    const body = JSON.stringify(channelRecord('survey', 1, 'refused'));
    const url = `${serve.url}/v1/ingest/survey`;
    const cases: [Record<string, string>, number, string][] = [
      [{}, 401, 'CREDENTIAL_MISSING'],
      [{ Authorization: 'Bearer not-a-valid-token-at-all' }, 401, 'CREDENTIAL_INVALID'],
      [{ Authorization: `Bearer ${tokenFor('survey')}x` }, 401, 'CREDENTIAL_INVALID'],
      [{ Authorization: `Bearer ${tokenFor('hotline')}` }, 403, 'CREDENTIAL_WRONG_CHANNEL'],
      [signHeaders(hmacFor('survey'), `${body} `), 401, 'SIGNATURE_INVALID'],
      [signHeaders(hmacFor('social'), body), 403, 'CREDENTIAL_WRONG_CHANNEL'],
      // Correctly signed, but 10 minutes old or 10 minutes ahead: outside the 300 s window.
      [signHeaders(hmacFor('survey'), body, Date.now() - 600_000), 401, 'SIGNATURE_STALE'],
      [signHeaders(hmacFor('survey'), body, Date.now() + 600_000), 401, 'SIGNATURE_STALE'],
    ];
    for (const [headers, status, code] of cases) {
      const r = await http(url, { body, headers });
      expect(r.status, code).toBe(status);
      expect(r.json.error?.code).toBe(code);
      expect(r.body).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
    }
    const after = await metrics(serve.url);
    for (const name of ['voc_records_received_total', 'voc_records_sent_total']) {
      expect(metricValue(after, name, { component: 'ingest' }), name).toBe(metricValue(before, name, { component: 'ingest' }));
    }
    expect(metricValue(after, 'voc_ingest_auth_failures_total') - metricValue(before, 'voc_ingest_auth_failures_total')).toBe(cases.length);
  });

  it('answers 413 for a body over service.maxBodyBytes and publishes nothing', async () => {
    const before = metricValue(await metrics(serve.url), 'voc_records_received_total', { component: 'ingest' });
    const records = Array.from({ length: 400 }, (_, i) => channelRecord('social', i, 'oversized'));
    const body = ndjson(records);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY);
    const r = await http(`${serve.url}/v1/ingest/social`, { body, headers: { Authorization: `Bearer ${tokenFor('social')}`, 'Content-Type': 'application/x-ndjson' } });
    expect(r.status).toBe(413);
    expect(r.json.error?.code).toBe('BODY_TOO_LARGE');
    expect(metricValue(await metrics(serve.url), 'voc_records_received_total', { component: 'ingest' })).toBe(before);
  });

  it('processes what it accepted: NLP counters per channel equal the records acknowledged, lag drops to 0', async () => {
    await waitFor('the consumer to process every accepted record', async () => metricValue(await metrics(serve.url), 'voc_records_sent_total', { component: 'nlp' }) >= acked.size);
    const text = await metrics(serve.url);
    for (const channel of CHANNELS) {
      expect(metricValue(text, 'voc_records_sent_total', { component: 'nlp', channel }), channel).toBe(ackedByChannel.get(channel));
      expect(metricValue(text, 'voc_records_received_total', { component: 'nlp', channel }), channel).toBe(ackedByChannel.get(channel));
    }
    await waitFor('the lag gauge to reach 0', async () => metricValue(await metrics(serve.url), 'voc_consumer_lag', { group: 'voc-nlp' }) === 0);
    expect(text).toMatch(/voc_sink_write_seconds_count\{sink="chdb"\} [1-9]/);
    expect(text).toMatch(/voc_batch_size_count\{component="consumer"\} [1-9]/);
  });

  it('SIGTERM under load: exits 0, and every 202-acknowledged record is in the store after a restart', async () => {
    const load = startLoad(serve.url, { concurrency: 4, batchSize: 25, tag: 'load' });
    await waitFor('load to be acknowledged', () => Promise.resolve(load.acked() >= 2000), 60_000);
    serve.child.kill('SIGTERM');
    const code = await serve.exited;
    load.stop();
    const result = await load.done;
    expect(code).toBe(0);
    expect(serve.stdout.join('\n')).toMatch(/drained and stopped/);
    // Senders saw the service go away: refused (503 draining) or no connection; none got an error body.
    expect(result.refused + result.failed).toBeGreaterThan(0);
    for (const id of result.acked) acked.add(id);

    // Restart on the same store: it comes back ready, and nothing was lost in between.
    serve = await startServe(args, env);
    expect((await http(`${serve.url}/readyz`)).status).toBe(200);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    const stored = storedIds();
    const missing = [...acked].filter((id) => !stored.has(id));
    expect(missing, `${missing.length} acknowledged records are not in the store`).toEqual([]);
    // Nothing refused earlier landed: the store holds what was acknowledged, plus at most the
    // records of requests that were cut off without an answer.
    expect(stored.size).toBeGreaterThanOrEqual(acked.size);
    expect(stored.size - acked.size).toBeLessThanOrEqual(result.failed * 25);
    const runs = voc(['sql', '--store', store, '--format', 'tsv', "SELECT count() FROM pipeline_runs WHERE mode = 'service'"], { VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
    expect(Number(runs.stdout.trim())).toBe(2);
  });
});

describe('voc serve with the model stage on (tiny random-weight models in ../shared/models)', () => {
  it('starts, accepts, stores what it accepted and drains; a missing model directory stops start-up', async () => {
    const modelStore = join(dir, 'model-store');
    const modelConfig = join(dir, 'model.yaml');
    const models = join(REPO, '..', 'shared', 'models');
    writeFileSync(
      modelConfig,
      `model:\n  enabled: true\n  modelDir: ${models}\n  sentimentModel: tiny-zh-bert-sentiment\n  embeddingModel: tiny-zh-bert-embed\n`,
    );
    const env = { ...credentialEnv(), VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY };
    const serve = await startServe(['--store', modelStore, '--config', modelConfig], env);
    let ids: string[];
    try {
      const records = Array.from({ length: 20 }, (_, i) => channelRecord('social', i, 'model'));
      const res = await http(`${serve.url}/v1/ingest/social`, {
        headers: { authorization: `Bearer ${tokenFor('social')}`, 'content-type': 'application/x-ndjson' },
        body: ndjson(records),
      });
      expect(res.status, res.body).toBe(202);
      ids = (res.json as { eventIds: string[] }).eventIds;
      expect(ids.length).toBeGreaterThan(0);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
    const stored = voc(['sql', '--store', modelStore, '--format', 'tsv', 'SELECT event_id FROM events'], { VOC_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
    expect(new Set(stored.stdout.split('\n').filter(Boolean))).toEqual(new Set(ids));

    const missing = voc(['serve', '--port', '0', '--store', join(dir, 'model-missing'), '--config', modelConfig], { ...env, VOC_MODEL_DIR: join(dir, 'no-models') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(dir, 'no-models'));
  });
});
