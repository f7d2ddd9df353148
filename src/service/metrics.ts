import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The service's own metrics, on the pipeline's registry so that one /metrics page has everything:
 * HTTP requests by route and status, ingest outcomes per channel, requests in flight. Labels stay
 * low-cardinality (route, channel, status, outcome): never a request id or a credential.
 */
export class ServiceMetrics {
  readonly httpRequests: Counter<'route' | 'channel' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'channel'>;
  readonly inFlight: Gauge;
  readonly ingestRecords: Counter<'channel' | 'outcome'>;
  readonly authFailures: Counter<'channel' | 'code'>;
  readonly ready: Gauge;

  constructor(registry: Registry, opts: { processMetrics?: boolean } = {}) {
    const registers = [registry];
    this.httpRequests = new Counter({
      name: 'voc_http_requests_total',
      help: 'HTTP requests answered, by route, channel (ingest only) and status code.',
      labelNames: ['route', 'channel', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'voc_http_request_duration_seconds',
      help: 'Time from request start to the response, by route (ingest: until the bus confirmed).',
      labelNames: ['route', 'channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.inFlight = new Gauge({ name: 'voc_http_requests_in_flight', help: 'HTTP requests being handled.', registers });
    this.ingestRecords = new Counter({
      name: 'voc_ingest_records_total',
      help: 'Ingested items by channel and outcome (accepted = published event, dead_lettered, skipped), counted once durable.',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.authFailures = new Counter({ name: 'voc_ingest_auth_failures_total', help: 'Ingest requests refused by authentication, by reason code.', labelNames: ['channel', 'code'], registers });
    this.ready = new Gauge({ name: 'voc_service_ready', help: '1 when /readyz last answered ready.', registers });
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'voc_process_' });
  }
}
