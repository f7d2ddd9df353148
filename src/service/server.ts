import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bus, Subscription, TopicSpec } from '../bus/bus.js';
import { ConnectionError } from '../core/errors.js';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import type { EnrichedEvent } from '../core/enriched-event.js';
import type { Logger } from '../core/logger.js';
import type { PipelineMetrics } from '../core/metrics.js';
import type { Pseudonymizer } from '../core/pseudonym.js';
import { connectorDefinition, type BoundParsers } from '../connectors/registry.js';
import { RunCounters } from '../runner/accounting.js';
import { createBatchProcessor, type BatchProcessorDeps } from '../runner/process-batch.js';
import type { TopicNames } from '../runner/topics.js';
import type { NlpStage } from '../nlp/stage.js';
import type { Sink } from '../sinks/sink.js';
import type { ServiceConfig } from './config.js';
import { CredentialStore, SIGNATURE_HEADER, TIMESTAMP_HEADER, type AuthOutcome } from './credentials.js';
import { ingest, RequestError, type IngestResult } from './ingest.js';
import { ServiceMetrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';

export interface VocServiceDeps {
  service: ServiceConfig;
  bus: Bus;
  sink: Sink;
  stage: NlpStage;
  /** The NLP stage on worker threads (config nlp.workers); unset: on this thread. */
  pool?: BatchProcessorDeps['pool'];
  topics: TopicNames;
  /** Topics ensured at start (partitions, retention). */
  topicSpecs: TopicSpec[];
  pseudonymizer: Pseudonymizer;
  credentials: CredentialStore;
  logger: Logger;
  metrics: PipelineMetrics;
  /** Consumer group of the process role (config pipeline.group, default voc-nlp). */
  group: string;
  batchSize: number;
  maxRecordBytes: number;
  /** Raw `connectors:` config sections, by channel. */
  connectors?: Record<string, unknown>;
  refine?: (events: EnrichedEvent[]) => Promise<EnrichedEvent[]>;
  /** Publish dead letters to the DLQ topic as well as the store (on Kafka). */
  publishDeadLetters: boolean;
  /** Non-durable (in-process) bus: drain it before stopping, and bound its backlog. */
  busIsDurable: boolean;
  maxBacklogRecords?: number;
  /** Wall clock for the signature replay window (ms since epoch). */
  now?: () => number;
  /** Register Node process metrics (off in tests that build several services in one process). */
  processMetrics?: boolean;
}

type Route = 'ingest' | 'healthz' | 'readyz' | 'metrics' | 'other';

interface JsonError {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `voc serve`: the HTTP ingest endpoints (role ingest), the NLP consumer group writing to the
 * store (role process), health, readiness and metrics. `start()` listens; `drain()` stops in the
 * order that loses nothing: refuse new requests, finish the ones in flight, stop the consumer
 * (its in-flight batch finishes and commits), record the run, close bus and store.
 */
export class VocService {
  readonly serviceMetrics: ServiceMetrics;
  readonly counters = new RunCounters();
  readonly #d: VocServiceDeps;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #parsers = new Map<Channel, BoundParsers>();
  readonly #roles: Set<string>;
  #server: Server | undefined;
  #subscription: Subscription | undefined;
  #lagTimer: NodeJS.Timeout | undefined;
  #started = false;
  #draining = false;
  #drained: Promise<void> | undefined;
  #inFlight = 0;
  readonly #startedAt = new Date();
  readonly #runId = randomUUID();

  constructor(deps: VocServiceDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ component: 'service', name: 'voc_serve' });
    this.#roles = new Set(deps.service.roles);
    this.#limiter = new RateLimiter(deps.service.rateLimit.requestsPerSecond, deps.service.rateLimit.burst);
    this.serviceMetrics = new ServiceMetrics(deps.metrics.registry, { processMetrics: deps.processMetrics });
    if (this.#roles.has('ingest')) {
      // One parse context per channel for the life of the service: the social channel's duplicate
      // memory spans requests. A bad connector config fails here, at start.
      for (const channel of CHANNELS) {
        this.#parsers.set(channel, connectorDefinition(channel).bind(deps.connectors?.[channel], { pseudonymizer: deps.pseudonymizer }));
      }
    }
  }

  get address(): AddressInfo | undefined {
    const a = this.#server?.address();
    return a && typeof a === 'object' ? a : undefined;
  }

  get url(): string {
    const a = this.address;
    if (!a) return '';
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}`;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async start(): Promise<void> {
    const d = this.#d;
    await d.bus.ensureTopics(d.topicSpecs);
    if (this.#roles.has('process')) await this.#startProcessing();
    const server = createServer({ requestTimeout: Math.max(120_000, d.service.publishTimeoutMs + 30_000), headersTimeout: 30_000, keepAliveTimeout: 5_000 }, (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        this.#log.error({ err }, 'Request handler failed.');
        if (!res.headersSent) this.#sendError(res, { status: 500, code: 'INTERNAL', message: 'Internal error.' });
        else res.destroy();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new ConnectionError(`Cannot listen on ${d.service.host}:${d.service.port}: ${err.message}.`, { code: 'LISTEN_FAILED', retriable: false, cause: err })));
      server.listen(d.service.port, d.service.host, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => this.#log.error({ err }, 'HTTP server error.'));
        resolve();
      });
    });
    this.#started = true;
    this.#log.info(
      { url: this.url, roles: [...this.#roles], bus: d.bus.name, store: d.sink.name, group: d.group, credentials: d.credentials.summary() },
      'Service started.',
    );
  }

  async #startProcessing(): Promise<void> {
    const d = this.#d;
    const log = this.#log.child({ role: 'process' });
    const processBatch = createBatchProcessor({
      stage: d.stage,
      pool: d.pool,
      sink: d.sink,
      counters: this.counters,
      logger: log,
      metrics: d.metrics,
      dlq: d.publishDeadLetters ? { bus: d.bus, topic: d.topics.dlq } : undefined,
      refine: d.refine,
      maxRecordBytes: d.maxRecordBytes,
    });
    this.#subscription = await d.bus.subscribe({
      topics: this.#rawTopics(),
      group: d.group,
      maxBatchRecords: d.batchSize,
      handler: async (batch, signal) => {
        await processBatch(batch, signal);
        d.metrics.batchSize.observe({ component: 'consumer' }, batch.records.length);
      },
      onHandlerError: (err, batch) => {
        d.metrics.errors.inc({ component: 'consumer', code: err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'HANDLER_FAILED' });
        log.warn({ err, topic: batch.topic, partition: batch.partition }, 'Batch failed; it will be delivered again.');
      },
    });
    const poll = (): void => {
      this.#pollLag().catch((err: unknown) => log.debug({ err }, 'Lag poll failed.'));
    };
    this.#lagTimer = setInterval(poll, d.service.lagPollSeconds * 1000);
    this.#lagTimer.unref();
    poll();
  }

  #rawTopics(): string[] {
    return [...new Set(Object.values(this.#d.topics.raw))];
  }

  async #backlog(): Promise<number> {
    let lag = 0;
    for (const t of this.#rawTopics()) lag += await this.#d.bus.lag(this.#d.group, t);
    return lag;
  }

  async #pollLag(): Promise<number> {
    let total = 0;
    for (const topic of this.#rawTopics()) {
      const lag = await this.#d.bus.lag(this.#d.group, topic);
      this.#d.metrics.consumerLag.set({ topic, group: this.#d.group }, lag);
      total += lag;
    }
    return total;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let route: Route = 'other';
    let channelLabel = '';
    const requestId = typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    this.#inFlight++;
    this.serviceMetrics.inFlight.inc();
    res.once('close', () => {
      this.#inFlight--;
      this.serviceMetrics.inFlight.dec();
      this.serviceMetrics.httpRequests.inc({ route, channel: channelLabel, status: String(res.statusCode) });
      this.serviceMetrics.httpDuration.observe({ route, channel: channelLabel }, (performance.now() - started) / 1000);
    });

    const ingestMatch = /^\/v1\/ingest\/([^/]+)$/.exec(path);
    if (ingestMatch) {
      route = 'ingest';
      const name = decodeURIComponent(ingestMatch[1] as string);
      channelLabel = (CHANNELS as readonly string[]).includes(name) ? name : 'unknown';
      if (!this.#roles.has('ingest')) return this.#sendError(res, { status: 404, code: 'NOT_FOUND', message: 'This instance does not run the ingest role.' }, req);
      if (channelLabel === 'unknown') return this.#sendError(res, { status: 404, code: 'UNKNOWN_CHANNEL', message: `No channel "${name.slice(0, 64)}": expected one of ${CHANNELS.join(', ')}.` }, req);
      if (req.method !== 'POST') return this.#sendError(res, { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Expected POST.', headers: { Allow: 'POST' } }, req);
      return this.#ingest(req, res, name as Channel, requestId);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.#sendError(res, { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Expected GET.', headers: { Allow: 'GET, HEAD' } }, req);
    }
    switch (path) {
      case '/healthz':
        route = 'healthz';
        return this.#sendJson(res, 200, { status: 'ok', draining: this.#draining, uptimeSeconds: Math.round((Date.now() - this.#startedAt.getTime()) / 1000) });
      case '/readyz':
        route = 'readyz';
        return this.#readyz(res);
      case '/metrics': {
        route = 'metrics';
        if (this.#roles.has('process')) await this.#pollLag().catch(() => undefined);
        const body = await this.#d.metrics.registry.metrics();
        res.writeHead(200, { 'Content-Type': this.#d.metrics.registry.contentType, 'Cache-Control': 'no-store' });
        res.end(body);
        return;
      }
      default:
        return this.#sendError(res, { status: 404, code: 'NOT_FOUND', message: 'Not found: see docs/operations.md for the endpoints.' }, req);
    }
  }

  async #readyz(res: ServerResponse): Promise<void> {
    const timeout = <T>(p: Promise<T>, fallback: T): Promise<T> =>
      Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), 2000).unref())]);
    const [bus, store] = await Promise.all([
      timeout(this.#d.bus.healthcheck(), { ok: false, detail: 'no answer within 2 s' }),
      timeout(this.#d.sink.healthcheck(), { ok: false, detail: 'no answer within 2 s' }),
    ]);
    // Migrations run in sink.connect(), before the service starts listening: started means done.
    const ready = this.#started && !this.#draining && bus.ok && store.ok;
    this.serviceMetrics.ready.set(ready ? 1 : 0);
    const body = { ready, draining: this.#draining, roles: [...this.#roles], bus: { name: this.#d.bus.name, ...bus }, store: { name: this.#d.sink.name, ...store, migrations: this.#started ? 'done' : 'pending' } };
    if (!ready) res.setHeader('Retry-After', String(this.#d.service.retryAfterSeconds));
    this.#sendJson(res, ready ? 200 : 503, body);
  }

  async #ingest(req: IncomingMessage, res: ServerResponse, channel: Channel, requestId: string): Promise<void> {
    const s = this.#d.service;
    if (this.#draining) {
      return this.#sendError(res, { status: 503, code: 'DRAINING', message: 'The service is shutting down: retry on another instance.', retryAfterSeconds: s.retryAfterSeconds }, req);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > s.maxBodyBytes) {
      return this.#sendError(res, { status: 413, code: 'BODY_TOO_LARGE', message: `The body is ${declared} bytes: expected at most ${s.maxBodyBytes}.` }, req);
    }
    // Bearer tokens are checked before the body is read; signatures need the body.
    const bearer = CredentialStore.bearer(req.headers.authorization);
    const signed = req.headers[SIGNATURE_HEADER] !== undefined || req.headers[TIMESTAMP_HEADER] !== undefined;
    let auth: AuthOutcome | undefined;
    if (bearer !== undefined) {
      auth = bearer === null ? { ok: false, status: 401, code: 'CREDENTIAL_INVALID', message: 'Authorization: expected "Bearer <token>".' } : this.#d.credentials.checkToken(channel, bearer);
      if (!auth.ok) return this.#refuse(req, res, channel, auth);
      const limited = this.#rateLimit(auth.credentialId);
      if (limited) return this.#sendError(res, limited, req);
    } else if (!signed) {
      return this.#refuse(req, res, channel, {
        ok: false,
        status: 401,
        code: 'CREDENTIAL_MISSING',
        message: 'Expected a credential: Authorization: Bearer <token>, or X-Voc-Timestamp and X-Voc-Signature (HMAC-SHA256).',
      });
    }

    const body = await readBody(req, s.maxBodyBytes);
    if (body === 'too_large') return this.#sendError(res, { status: 413, code: 'BODY_TOO_LARGE', message: `The body is larger than ${s.maxBodyBytes} bytes.` }, req);
    if (body === 'aborted') return;

    if (!auth) {
      auth = this.#d.credentials.checkSignature(
        channel,
        { timestamp: header(req, TIMESTAMP_HEADER), signature: header(req, SIGNATURE_HEADER), body },
        (this.#d.now ?? Date.now)(),
        s.replayWindowSeconds,
      );
      if (!auth.ok) return this.#refuse(req, res, channel, auth);
      const limited = this.#rateLimit(auth.credentialId);
      if (limited) return this.#sendError(res, limited, req);
    }

    let result: IngestResult;
    try {
      result = await ingest(
        {
          bus: this.#d.bus,
          sink: this.#d.sink,
          rawTopic: (c) => this.#d.topics.raw[c],
          dlqTopic: this.#d.publishDeadLetters ? this.#d.topics.dlq : undefined,
          parsers: (c) => this.#parsers.get(c) as BoundParsers,
          logger: this.#log.child({ role: 'ingest', channel }),
          metrics: this.#d.metrics,
          serviceMetrics: this.serviceMetrics,
          counters: this.counters,
          publishTimeoutMs: s.publishTimeoutMs,
          retryAfterSeconds: s.retryAfterSeconds,
          maxRecords: s.maxRecordsPerRequest,
          backlog: this.#d.busIsDurable ? undefined : { limit: this.#d.maxBacklogRecords ?? 200_000, current: () => this.#backlog() },
        },
        channel,
        body,
        req.headers['content-type'],
        requestId,
      );
    } catch (err) {
      if (err instanceof RequestError) return this.#sendError(res, { status: err.status, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds }, req);
      throw err;
    }
    this.#log.debug({ channel, requestId, records: result.records, accepted: result.accepted, deadLettered: result.deadLettered, skipped: result.skipped }, 'Ingested.');
    this.#sendJson(res, 202, result);
  }

  #rateLimit(credentialId: string): JsonError | undefined {
    const r = this.#limiter.take(credentialId);
    if (r.ok) return undefined;
    return { status: 429, code: 'RATE_LIMITED', message: 'Too many requests for this credential: retry after the delay in Retry-After.', retryAfterSeconds: r.retryAfterSeconds };
  }

  #refuse(req: IncomingMessage, res: ServerResponse, channel: Channel, auth: Extract<AuthOutcome, { ok: false }>): void {
    this.serviceMetrics.authFailures.inc({ channel, code: auth.code });
    this.#log.info({ channel, code: auth.code, status: auth.status, remote: req.socket.remoteAddress }, 'Ingest request refused.');
    this.#sendError(res, { status: auth.status, code: auth.code, message: auth.message, headers: auth.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="voc-ingest"' } : {} }, req);
  }

  #sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    // During a drain every answer closes its connection, so that keep-alive clients reconnect elsewhere.
    if (this.#draining) res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(text);
  }

  /** A JSON error body — code and message, never a stack. If the body was not read, the connection closes. */
  #sendError(res: ServerResponse, e: JsonError, req?: IncomingMessage): void {
    if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds));
    for (const [k, v] of Object.entries(e.headers ?? {})) res.setHeader(k, v);
    if (req && !req.complete) res.setHeader('Connection', 'close');
    this.#sendJson(res, e.status, { error: { code: e.code, message: e.message } });
  }

  /**
   * Stops without losing an acknowledged record. Idempotent: a second signal waits for the same
   * drain. On the in-process bus, whatever was acknowledged but not yet processed is processed
   * before the consumer stops (nothing else would keep it).
   */
  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<void> {
    const d = this.#d;
    this.#draining = true;
    this.#log.info({ inFlight: this.#inFlight }, 'Draining: no new requests; finishing those in flight.');
    const server = this.#server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections become idle as their last response ends: close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      await closed;
      clearInterval(sweep);
    }
    if (this.#subscription) {
      if (!d.busIsDurable) {
        while ((await this.#backlog()) > 0) await new Promise((r) => setTimeout(r, 10));
      }
      await this.#subscription.stop();
      this.#log.info({}, 'Consumer stopped; its last batch is committed.');
    }
    if (this.#lagTimer) clearInterval(this.#lagTimer);
    try {
      const run = this.counters.toRun({ runId: this.#runId, mode: 'service', startedAt: this.#startedAt });
      await d.sink.recordRun(run);
      this.#log.info({ ...run }, 'Service run recorded.');
    } catch (err) {
      this.#log.warn({ err }, 'Could not record the service run.');
    }
    await d.bus.close();
    await d.sink.close();
    this.#log.info({}, 'Drained: bus and store closed.');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the body up to `limit` bytes; stops reading (and says so) as soon as it is exceeded. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | 'too_large' | 'aborted'): void => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks, size)));
    req.on('aborted', () => finish('aborted'));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
  });
}
