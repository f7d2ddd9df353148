import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * The one configuration: a YAML or JSON file plus VOC_* environment overrides, validated once at
 * start. With nothing configured everything runs in one process: the in-memory bus and the chDB
 * store, with the same SQL as a ClickHouse server.
 */
export const BusConfigSchema = z
  .strictObject({
    kind: z.enum(['memory', 'kafka']).default('memory').describe('memory: in-process (embedded default); kafka: a real broker.'),
    kafka: z
      .strictObject({
        brokers: z.array(z.string().min(1)).default(['127.0.0.1:9092']).describe('Bootstrap brokers, host:port.'),
        clientId: z.string().default('voc-stream').describe('Kafka client id.'),
      })
      .catchall(z.unknown())
      .default({ brokers: ['127.0.0.1:9092'], clientId: 'voc-stream' })
      .describe('Kafka settings; the full schema is KafkaBusConfigSchema in src/bus/kafka/config.ts.'),
  })
  .describe('Where events travel between the connectors and the NLP stage.');

export const StoreConfigSchema = z
  .strictObject({
    kind: z.enum(['chdb', 'clickhouse']).default('chdb').describe('chdb: ClickHouse in-process (embedded default); clickhouse: a server.'),
    path: z.string().default('.voc').describe('Directory of the embedded chDB store (also holds the replay pseudonym key).'),
    clickhouse: z
      .strictObject({
        url: z.url().default('http://127.0.0.1:8123').describe('HTTP URL of the ClickHouse server.'),
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('voc').describe('Database that holds the voc tables.'),
        username: z.string().default('default').describe('ClickHouse user.'),
        password: z.string().default('').describe('ClickHouse password (prefer VOC_CLICKHOUSE_PASSWORD).'),
      })
      .default({ url: 'http://127.0.0.1:8123', database: 'voc', username: 'default', password: '' }),
    kAnonymity: z.number().int().min(1).max(1000).default(5).describe('Minimum distinct authors per published cell (k).'),
    verbatims: z.enum(['off', 'redacted']).default('redacted').describe('Store redacted texts per code for R&D (no author), or not.'),
  })
  .describe('Where anonymised aggregates are written.');

export const PipelineConfigSchema = z
  .strictObject({
    batchSize: z.number().int().min(1).max(100_000).default(5000).describe('Records per bus publish and per sink batch (one INSERT: larger batches mean fewer parts).'),
    group: z.string().default('voc-nlp').describe('Consumer group of the NLP stage.'),
    maxRecordBytes: z.number().int().min(1024).default(1_048_576).describe('Larger records are dead-lettered.'),
  })
  .describe('Batching and flow.');

export const NlpConfigSchema = z
  .strictObject({
    codeFrame: z.string().optional().describe('Path of the code frame YAML; default config/codeframe.yaml in the package.'),
    workers: z
      .number()
      .int()
      .min(0)
      .max(32)
      .default(0)
      .describe('Worker threads that run the NLP stage (0: on the main thread). 1 lets a 2-core machine analyse one batch while the main thread reads, encodes and inserts the next; results are the same.'),
  })
  .describe('The NLP stage.');

export const VocConfigSchema = z
  .strictObject({
    bus: BusConfigSchema.default(BusConfigSchema.parse({})),
    store: StoreConfigSchema.default(StoreConfigSchema.parse({})),
    pipeline: PipelineConfigSchema.default(PipelineConfigSchema.parse({})),
    nlp: NlpConfigSchema.default(NlpConfigSchema.parse({})),
    model: z.record(z.string(), z.unknown()).optional().describe('Optional model stage (see docs/model-stage.md).'),
    service: z.record(z.string(), z.unknown()).optional().describe('`voc serve` settings (see docs/operations.md).'),
    connectors: z.record(z.string(), z.unknown()).optional().describe('Per-connector settings, keyed by channel.'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  })
  .describe('voc-stream configuration.');

export type VocConfig = z.infer<typeof VocConfigSchema>;

/** Environment overrides, one table: variable → config path. */
export const ENV_OVERRIDES: { env: string; path: string[]; parse: (v: string) => unknown }[] = [
  { env: 'VOC_KAFKA_BROKERS', path: ['bus', 'kafka', 'brokers'], parse: (v) => v.split(',').map((s) => s.trim()).filter(Boolean) },
  { env: 'VOC_BUS', path: ['bus', 'kind'], parse: (v) => v },
  { env: 'VOC_CLICKHOUSE_URL', path: ['store', 'clickhouse', 'url'], parse: (v) => v },
  { env: 'VOC_CLICKHOUSE_DATABASE', path: ['store', 'clickhouse', 'database'], parse: (v) => v },
  { env: 'VOC_CLICKHOUSE_USER', path: ['store', 'clickhouse', 'username'], parse: (v) => v },
  { env: 'VOC_CLICKHOUSE_PASSWORD', path: ['store', 'clickhouse', 'password'], parse: (v) => v },
  { env: 'VOC_STORE', path: ['store', 'kind'], parse: (v) => v },
  { env: 'VOC_STORE_DIR', path: ['store', 'path'], parse: (v) => v },
  { env: 'VOC_K_ANONYMITY', path: ['store', 'kAnonymity'], parse: (v) => Number(v) },
  { env: 'VOC_CODEFRAME', path: ['nlp', 'codeFrame'], parse: (v) => v },
  { env: 'VOC_NLP_WORKERS', path: ['nlp', 'workers'], parse: (v) => Number(v) },
  { env: 'VOC_LOG_LEVEL', path: ['logLevel'], parse: (v) => v },
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function getPath(source: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = source;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function formatZodIssues(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const key = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${key || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

export interface LoadConfigOptions {
  /** Config file; when absent config/voc.yaml is read if it exists, else defaults apply. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides from CLI flags, applied last. */
  overrides?: { path: string[]; value: unknown }[];
}

export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${file}.`, { code: 'CONFIG_UNREADABLE', cause: err });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}.`, { code: 'CONFIG_SYNTAX', cause: err });
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`Config file ${file}: expected a mapping at the top level, got ${Array.isArray(raw) ? 'a list' : typeof raw}.`);
  }
  return raw as Record<string, unknown>;
}

export function loadConfig(options: LoadConfigOptions = {}): VocConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.VOC_CONFIG ?? (existsSync('config/voc.yaml') ? 'config/voc.yaml' : undefined);
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  for (const o of ENV_OVERRIDES) {
    const v = env[o.env];
    if (v !== undefined && v !== '') setPath(raw, o.path, o.parse(v));
  }
  // Naming a server is choosing it: VOC_KAFKA_BROKERS / VOC_CLICKHOUSE_URL switch the kind unless it is set explicitly.
  if (env.VOC_KAFKA_BROKERS && !env.VOC_BUS && getPath(raw, ['bus', 'kind']) === undefined) setPath(raw, ['bus', 'kind'], 'kafka');
  if (env.VOC_CLICKHOUSE_URL && !env.VOC_STORE && getPath(raw, ['store', 'kind']) === undefined) setPath(raw, ['store', 'kind'], 'clickhouse');
  for (const o of options.overrides ?? []) setPath(raw, o.path, o.value);
  const parsed = VocConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration${file ? ` in ${file}` : ''}: ${formatZodIssues(parsed.error)}.`, { cause: parsed.error });
  }
  return parsed.data;
}
