import { z } from 'zod';

/** Topic names: raw feedback per channel (unredacted text, short retention), dead letters, enriched. */
export const KafkaTopicsConfigSchema = z
  .strictObject({
    rawPrefix: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._-]+$/, 'Kafka topic names use letters, digits, ".", "_" and "-".')
      .default('voc.raw.')
      .describe('Prefix of the raw feedback topics; the channel is appended (voc.raw.hotline, voc.raw.survey, …).'),
    deadLetters: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._-]+$/, 'Kafka topic names use letters, digits, ".", "_" and "-".')
      .default('voc.dlq')
      .describe('Dead-letter topic: records no stage could process, with reason, stage and source offset in headers.'),
    enriched: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'Kafka topic names use letters, digits, ".", "_" and "-".')
      .nullable()
      .default(null)
      .describe('Optional topic for redacted, coded events that other consumers of the data platform read (e.g. voc.enriched); null: not published.'),
  })
  .describe('Topic names.');

export const KafkaProducerConfigSchema = z
  .strictObject({
    compression: z
      .enum(['gzip', 'none'])
      .default('gzip')
      .describe('Batch compression. gzip is built into the client; snappy/lz4/zstd would need extra codecs.'),
    lingerMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(5)
      .describe('How long publish calls are gathered into one produce request before it is sent (ms); 0 sends on the next tick.'),
    maxBatchBytes: z
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('A gathered batch is sent at once when its records reach this many bytes; larger publishes are split into requests of at most this size.'),
    maxRecordBytes: z
      .number()
      .int()
      .min(1024)
      .default(1_000_000)
      .describe("Largest record (value + key + headers) publish accepts; keep it under the broker's message.max.bytes (default 1 MiB). Larger ones fail with ValidationError RECORD_TOO_LARGE."),
    requestTimeoutMs: z.number().int().min(100).default(30_000).describe('How long the broker may take to acknowledge a produce request (ms).'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Attempts of one publish in all (each after the client has done its own retries) before it fails with RetriesExhaustedError.'),
  })
  .describe('Producer: idempotent, acks=all always; these tune batching and retries.');

export const KafkaConsumerConfigSchema = z
  .strictObject({
    maxBatchRecords: z.number().int().min(1).max(100_000).default(500).describe('Default upper bound on records handed to one handler call.'),
    sessionTimeoutMs: z.number().int().min(1000).default(30_000).describe('Group session timeout: a member silent this long is removed and its partitions reassigned (ms).'),
    rebalanceTimeoutMs: z.number().int().min(1000).default(60_000).describe('How long members may take to rejoin during a rebalance (ms).'),
    heartbeatIntervalMs: z.number().int().min(100).default(3000).describe('Heartbeat interval, also while a failing batch is retried (ms).'),
    maxBytesPerPartition: z.number().int().min(1024).default(1_048_576).describe('Bytes fetched per partition per request: with maxBytes, bounds the memory of a consumer.'),
    maxBytes: z.number().int().min(1024).default(10_485_760).describe('Bytes fetched per request in all.'),
    maxWaitTimeMs: z.number().int().min(0).default(500).describe('How long the broker may hold a fetch when no data is there (ms).'),
    partitionsConsumedConcurrently: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe(
        'Partitions whose batches are handled at the same time by one consumer; the runner gathers their store writes into shared inserts (group commit), and each partition still commits only after its own records are stored. 4 measured best on the 2-core bench (docs/performance.md); 1 handles one batch at a time.',
      ),
    retryInitialDelayMs: z.number().int().min(1).default(200).describe('First delay before a failed handler call is retried on the same batch (ms); doubles up to retryMaxDelayMs.'),
    retryMaxDelayMs: z.number().int().min(1).default(10_000).describe('Longest delay between handler retries (ms). The batch is retried until it succeeds or the subscription stops.'),
    shutdownTimeoutMs: z.number().int().min(0).default(30_000).describe('On stop, how long the in-flight handler may run before its AbortSignal fires (ms).'),
  })
  .describe('Consumer groups: batch processing, commit after the handler, pause while the handler fails.');

export const KafkaBusConfigSchema = z
  .strictObject({
    brokers: z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port'))
      .min(1)
      .default(['127.0.0.1:9092'])
      .describe('Bootstrap brokers as host:port (scripts/services.sh starts one on 127.0.0.1:9092).'),
    clientId: z.string().min(1).default('voc-stream').describe('Client id the broker sees in its logs and quotas.'),
    connectionTimeoutMs: z.number().int().min(100).default(3000).describe('TCP connect timeout per broker (ms).'),
    requestTimeoutMs: z.number().int().min(100).default(30_000).describe('Timeout of admin and group requests (ms).'),
    retries: z.number().int().min(0).default(8).describe('Retries of one request inside the client (exponential backoff) before it reports a failure.'),
    retryInitialDelayMs: z.number().int().min(1).default(300).describe('First client retry delay (ms).'),
    retryMaxDelayMs: z.number().int().min(1).default(10_000).describe('Longest client retry delay (ms).'),
    topics: KafkaTopicsConfigSchema.default(() => KafkaTopicsConfigSchema.parse({})),
    partitions: z.number().int().min(1).max(1000).default(6).describe('Partitions of the topics the bus creates (raw topics, dead letters, enriched).'),
    replicationFactor: z.number().int().min(1).max(10).default(1).describe('Replicas per partition of the topics the bus creates (1 on the single-node dev broker; 3 in production).'),
    rawRetentionMs: z
      .number()
      .int()
      .min(60_000)
      .default(3 * 24 * 3600 * 1000)
      .describe('Retention of the raw topics (ms): they carry unredacted text, so keep it short (default 3 days).'),
    deadLetterRetentionMs: z.number().int().min(60_000).default(14 * 24 * 3600 * 1000).describe('Retention of the dead-letter topic (ms, default 14 days).'),
    enrichedRetentionMs: z.number().int().min(60_000).default(7 * 24 * 3600 * 1000).describe('Retention of the enriched topic (ms, default 7 days).'),
    producer: KafkaProducerConfigSchema.default(() => KafkaProducerConfigSchema.parse({})),
    consumer: KafkaConsumerConfigSchema.default(() => KafkaConsumerConfigSchema.parse({})),
  })
  .superRefine((c, ctx) => {
    if (c.retryMaxDelayMs < c.retryInitialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['retryMaxDelayMs'], message: `expected >= retryInitialDelayMs (${c.retryInitialDelayMs}), got ${c.retryMaxDelayMs}` });
    }
    if (c.consumer.retryMaxDelayMs < c.consumer.retryInitialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['consumer', 'retryMaxDelayMs'], message: `expected >= consumer.retryInitialDelayMs (${c.consumer.retryInitialDelayMs}), got ${c.consumer.retryMaxDelayMs}` });
    }
    if (c.producer.maxRecordBytes > c.producer.maxBatchBytes) {
      ctx.addIssue({ code: 'custom', path: ['producer', 'maxRecordBytes'], message: `expected at most producer.maxBatchBytes (${c.producer.maxBatchBytes}), got ${c.producer.maxRecordBytes}` });
    }
    if (c.consumer.heartbeatIntervalMs * 3 > c.consumer.sessionTimeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['consumer', 'heartbeatIntervalMs'], message: `expected at most a third of consumer.sessionTimeoutMs (${c.consumer.sessionTimeoutMs}), got ${c.consumer.heartbeatIntervalMs}` });
    }
  })
  .describe('The Kafka bus (kafkajs): brokers, topics, producer and consumer settings.');

export type KafkaBusConfig = z.infer<typeof KafkaBusConfigSchema>;
export type KafkaBusConfigInput = z.input<typeof KafkaBusConfigSchema>;

/** The raw topic of one channel, e.g. voc.raw.hotline. */
export function rawTopic(config: Pick<KafkaBusConfig, 'topics'>, channel: string): string {
  return `${config.topics.rawPrefix}${channel}`;
}
