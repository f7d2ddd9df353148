import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSink } from '../../test/support/fake-sink.js';
import type { BusRecord } from '../bus/bus.js';
import { MemoryBus } from '../bus/memory.js';
import { VocConfigSchema } from '../core/config.js';
import { ConnectionError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';
import { Pseudonymizer } from '../core/pseudonym.js';
import type { NlpStage } from '../nlp/stage.js';
import { readChannelFile } from '../connectors/registry.js';
import { defaultTopicNames, topicSpecs } from '../runner/topics.js';
import { resolveServiceConfig } from './config.js';
import { CredentialStore, signHeaders } from './credentials.js';
import { VocService } from './server.js';

// The HTTP layer on loopback, ingest role only, on the memory bus and a fake store: status codes,
// headers and bodies that do not need the real pipeline (that is test/integration/service-*.int.test.ts).

const TOKEN = 'survey-token-0123456789abcdef';
const HMAC = 'survey-hmac-0123456789abcdef';
const DEALER_TOKEN = 'dealer-token-0123456789abcdef';
const SOCIAL_TOKEN = 'social-token-0123456789abcdef';
const PSEUDONYM_KEY = '0123456789abcdef0123';

/** A memory bus whose publish can be made to fail or to wait. */
class ControlledBus extends MemoryBus {
  fail = false;
  gate: Promise<void> | undefined;
  published = 0;
  override async publish(topic: string, records: BusRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.fail) throw new ConnectionError('broker down');
    await super.publish(topic, records);
    this.published += records.length;
  }
}

const survey = (i: number) => ({
  responseId: `R-${i}`,
  surveyId: 'S',
  submittedAt: '2024-04-02T10:11:12+08:00',
  respondent: { openid: `o-${i}` },
  answers: [{ questionId: 'q1', question: '最不满意的地方？', text: `等待时间太长了，第${i}次` }],
});

const services: VocService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.drain();
});

async function start(serviceRaw: Record<string, unknown> = {}) {
  const bus = new ControlledBus();
  await bus.connect();
  const sink = new FakeSink();
  const metrics = new PipelineMetrics();
  const config = VocConfigSchema.parse({ bus: { kind: 'kafka' }, service: { port: 0, ...serviceRaw } });
  const svc = new VocService({
    service: resolveServiceConfig(config, { roles: ['ingest'] }),
    bus,
    sink,
    stage: { name: 'unused' } as unknown as NlpStage,
    topics: defaultTopicNames(),
    topicSpecs: topicSpecs(defaultTopicNames()),
    pseudonymizer: new Pseudonymizer(PSEUDONYM_KEY),
    credentials: CredentialStore.fromEnv({ VOC_INGEST_TOKEN_SURVEY: TOKEN, VOC_INGEST_HMAC_SURVEY: HMAC, VOC_INGEST_TOKEN_DEALER: DEALER_TOKEN, VOC_INGEST_TOKEN_SOCIAL: SOCIAL_TOKEN }),
    logger: silentLogger(),
    metrics,
    group: 'voc-nlp',
    batchSize: 100,
    maxRecordBytes: 1_048_576,
    publishDeadLetters: false,
    busIsDurable: true,
    processMetrics: false,
  });
  await svc.start();
  services.push(svc);
  return { svc, bus, sink, metrics };
}

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

function send(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text.startsWith('{') ? JSON.parse(text) : { text } });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) {
      if (opts.chunked) {
        const b = Buffer.from(opts.body);
        for (let i = 0; i < b.length; i += 16_384) req.write(b.subarray(i, i + 16_384));
      } else req.write(opts.body);
    }
    req.end();
  });
}

const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('voc serve HTTP layer', () => {
  it('accepts a record with a token or a signature and answers with the event ids', async () => {
    const { svc, bus } = await start();
    const r = await send(svc.url, '/v1/ingest/survey', { headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify(survey(1)) });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ channel: 'survey', records: 1, accepted: 1, deadLettered: 0, skipped: 0 });
    expect((r.json.eventIds as string[])[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers['x-request-id']).toBeTruthy();
    const body = JSON.stringify([survey(2), survey(3)]);
    const s = await send(svc.url, '/v1/ingest/survey', { headers: { ...signHeaders(HMAC, body) }, body });
    expect(s.status).toBe(202);
    expect(s.json.accepted).toBe(2);
    expect(bus.published).toBe(3);
    expect(await bus.lag('voc-nlp', 'voc.raw.survey')).toBe(3);
  });

  it('answers 429 with Retry-After once a credential spends its burst', async () => {
    const { svc } = await start({ rateLimit: { requestsPerSecond: 0.01, burst: 2 } });
    const statuses: number[] = [];
    let last: Res | undefined;
    for (let i = 0; i < 4; i++) {
      last = await send(svc.url, '/v1/ingest/survey', { headers: bearer, body: JSON.stringify(survey(i)) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 429, 429]);
    expect(last?.json.error?.code).toBe('RATE_LIMITED');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 503 with Retry-After when the bus does not confirm, and counts nothing', async () => {
    const { svc, bus, metrics } = await start({ retryAfterSeconds: 7 });
    bus.fail = true;
    const r = await send(svc.url, '/v1/ingest/survey', { headers: bearer, body: JSON.stringify(survey(1)) });
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('7');
    expect(r.json.error?.code).toBe('BUS_UNAVAILABLE');
    expect(JSON.stringify(r.json)).not.toMatch(/at .*\.ts/);
    const received = (await metrics.received.get()).values.filter((v) => v.labels.component === 'ingest');
    expect(received.reduce((s, v) => s + v.value, 0)).toBe(0);
  });

  it('answers 413 for a declared or a streamed body over the limit, 400 for a broken one', async () => {
    const { svc, bus } = await start({ maxBodyBytes: 2048 });
    const big = JSON.stringify({ ...survey(1), pad: 'x'.repeat(5000) });
    const declared = await send(svc.url, '/v1/ingest/survey', { headers: bearer, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json.error?.code).toBe('BODY_TOO_LARGE');
    const streamed = await send(svc.url, '/v1/ingest/survey', { headers: { ...bearer, 'Transfer-Encoding': 'chunked' }, body: big.repeat(20), chunked: true });
    expect(streamed.status).toBe(413);
    const broken = await send(svc.url, '/v1/ingest/survey', { headers: bearer, body: '{"responseId":' });
    expect(broken.status).toBe(400);
    expect(broken.json.error?.code).toBe('BODY_NOT_JSON');
    expect(bus.published).toBe(0);
  });

  it('takes a GBK CSV export as the file replay does: same events, dead letters and skips', async () => {
    const { svc } = await start();
    const file = 'examples/dealer/service-orders.csv';
    const body = readFileSync(file);
    const r = await send(svc.url, '/v1/ingest/dealer', { headers: { Authorization: `Bearer ${DEALER_TOKEN}`, 'Content-Type': 'text/csv' }, body });
    expect(r.status).toBe(202);
    const replayed = { event: [] as string[], dead_letter: 0, skipped: 0 };
    for await (const o of readChannelFile('dealer', file, { pseudonymizer: new Pseudonymizer(PSEUDONYM_KEY) })) {
      if (o.kind === 'event') replayed.event.push(o.event.id);
      else replayed[o.kind]++;
    }
    expect(replayed.event.length).toBeGreaterThan(0);
    expect(r.json.eventIds).toEqual(replayed.event);
    expect(r.json).toMatchObject({ deadLettered: replayed.dead_letter, skipped: replayed.skipped });
    // Declared GBK works too; a charset it cannot read and a channel without CSV are 415.
    const declared = await send(svc.url, '/v1/ingest/dealer', { headers: { Authorization: `Bearer ${DEALER_TOKEN}`, 'Content-Type': 'text/csv; charset=GBK' }, body });
    expect(declared.json.eventIds).toEqual(replayed.event);
    const latin = await send(svc.url, '/v1/ingest/dealer', { headers: { Authorization: `Bearer ${DEALER_TOKEN}`, 'Content-Type': 'text/csv; charset=latin1' }, body });
    expect(latin.status).toBe(415);
    const social = await send(svc.url, '/v1/ingest/social', { headers: { Authorization: `Bearer ${SOCIAL_TOKEN}`, 'Content-Type': 'text/csv' }, body: 'a,b\n1,2\n' });
    expect(social.status).toBe(415);
    expect(social.json.error?.code).toBe('FORMAT_UNSUPPORTED');
    const headerOnly = await send(svc.url, '/v1/ingest/dealer', { headers: { Authorization: `Bearer ${DEALER_TOKEN}`, 'Content-Type': 'text/csv' }, body: 'dealer_code,order_no\n' });
    expect(headerOnly.status).toBe(400);
  });

  it('routes: unknown channel 404, wrong method 405, health and readiness', async () => {
    const { svc } = await start();
    expect((await send(svc.url, '/v1/ingest/fax', { headers: bearer, body: '{}' })).status).toBe(404);
    expect((await send(svc.url, '/v1/ingest/survey', { method: 'GET' })).status).toBe(405);
    expect((await send(svc.url, '/nope', { method: 'GET' })).status).toBe(404);
    const health = await send(svc.url, '/healthz', { method: 'GET' });
    expect(health.status).toBe(200);
    const ready = await send(svc.url, '/readyz', { method: 'GET' });
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, bus: { ok: true }, store: { ok: true, migrations: 'done' } });
    const metrics = await send(svc.url, '/metrics', { method: 'GET' });
    expect(metrics.status).toBe(200);
    expect(String(metrics.json.text)).toMatch(/voc_http_requests_total\{route="ingest",channel="unknown",status="404"\} 1/);
  });

  it('drains: a request in flight still gets its 202, then the port is closed', async () => {
    const { svc, bus, sink } = await start();
    let open!: () => void;
    bus.gate = new Promise((r) => (open = r));
    const pending = send(svc.url, '/v1/ingest/survey', { headers: bearer, body: JSON.stringify(survey(9)) });
    while ((await svc.serviceMetrics.inFlight.get()).values[0]?.value !== 1) await new Promise((r) => setTimeout(r, 5));
    const url = svc.url;
    const drained = svc.drain();
    await new Promise((r) => setTimeout(r, 50));
    open();
    const r = await pending;
    expect(r.status).toBe(202);
    expect(r.headers.connection).toBe('close');
    await drained;
    expect(bus.published).toBe(1);
    expect(sink.runs).toHaveLength(1);
    expect(sink.runs[0]).toMatchObject({ mode: 'service', read: 1, published: 1 });
    await expect(send(url, '/healthz', { method: 'GET' })).rejects.toThrow();
  });
});
