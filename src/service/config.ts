import { z } from 'zod';
import { formatZodIssues, type VocConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';

export const SERVICE_ROLES = ['ingest', 'process'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export const RateLimitConfigSchema = z
  .strictObject({
    requestsPerSecond: z.number().positive().max(1_000_000).default(50).describe('Sustained requests per second allowed per credential (token bucket refill rate).'),
    burst: z.number().int().min(1).max(1_000_000).default(100).describe('Bucket size: requests a credential may send at once before it is limited.'),
  })
  .describe('Per-credential rate limit (token bucket). A limited request gets 429 with Retry-After.');

/**
 * `service:` in the config file (and `voc serve` flags). Secrets are not here: credentials come
 * from the environment or files (see credentials.ts and docs/operations.md).
 */
export const ServiceConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 inside a container.'),
    port: z.number().int().min(0).max(65_535).default(8080).describe('HTTP port (0: any free port, printed at start).'),
    roles: z
      .array(z.enum(SERVICE_ROLES))
      .min(1)
      .default(['ingest', 'process'])
      .describe('ingest: the HTTP endpoints publish to the raw topics; process: the NLP consumer group writes to the store. Both by default.'),
    maxBodyBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024).describe('Largest request body accepted; larger gets 413.'),
    maxRecordsPerRequest: z.number().int().min(1).max(1_000_000).default(5000).describe('Most NDJSON lines in one request; more gets 413.'),
    rateLimit: RateLimitConfigSchema.default(RateLimitConfigSchema.parse({})),
    replayWindowSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe('Signed requests whose X-Voc-Timestamp is further than this from the server clock are refused (replay protection).'),
    publishTimeoutMs: z.number().int().min(100).max(600_000).default(15_000).describe('How long a request waits for the bus to confirm a publish before answering 503.'),
    retryAfterSeconds: z.number().int().min(1).max(3600).default(5).describe('Retry-After sent with 503 (bus or store unavailable, draining).'),
    drainDeadlineSeconds: z
      .number()
      .min(1)
      .max(3600)
      .default(30)
      .describe('On SIGTERM/SIGINT: time to finish requests and batches, commit and flush; after it the process exits non-zero.'),
    lagPollSeconds: z.number().min(0.1).max(3600).default(5).describe('How often the consumer lag gauge is refreshed (process role).'),
  })
  .describe('`voc serve`: the HTTP ingest API, the NLP consumer group and the sink in one long-running process.');

export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;

/** Command-line flags that override `service:` keys. */
export interface ServiceFlags {
  host?: string;
  port?: number;
  roles?: ServiceRole[];
  drainDeadlineSeconds?: number;
}

/**
 * The service section of the config, with flags applied last. The roles are checked against the
 * bus: the memory bus lives inside one process, so ingest and process can only be split over Kafka.
 */
export function resolveServiceConfig(config: VocConfig, flags: ServiceFlags = {}): ServiceConfig {
  const raw: Record<string, unknown> = { ...(config.service ?? {}) };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) raw[k] = v;
  const parsed = ServiceConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid service configuration: ${formatZodIssues(parsed.error, 'service')}.`, { cause: parsed.error });
  const service = parsed.data;
  service.roles = [...new Set(service.roles)];
  if (config.bus.kind === 'memory' && service.roles.length < 2) {
    throw new ConfigError(
      `service.roles: the memory bus lives inside one process, so roles can only be split over Kafka: expected both ingest and process with bus.kind memory, got ${service.roles.join(',')}.`,
      { code: 'ROLES_NEED_KAFKA' },
    );
  }
  return service;
}

/** Parses `--roles ingest,process` (also `all`). */
export function parseRoles(value: string): ServiceRole[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const roles: ServiceRole[] = [];
  for (const p of parts) {
    if (p === 'all') roles.push(...SERVICE_ROLES);
    else if ((SERVICE_ROLES as readonly string[]).includes(p)) roles.push(p as ServiceRole);
    else throw new ConfigError(`--roles: expected a comma-separated list of ${SERVICE_ROLES.join(', ')} or all, got "${p}".`);
  }
  if (roles.length === 0) throw new ConfigError('--roles: expected at least one of ingest, process.');
  return [...new Set(roles)];
}
