/**
 * The Bus contract on Apache Kafka, through kafkajs. This folder is the only importer of kafkajs
 * (it is in maintenance mode since 2.2.4): moving to another client touches src/bus/kafka/ alone.
 *
 * Producer: idempotent, acks=all, gzip, one produce request per linger window, sent in order
 * (one request in flight), retried with backoff; publish() resolves only after the broker acked.
 * Consumer: one kafkajs consumer per subscription in a group; batches are handled in chunks of
 * at most maxBatchRecords and each chunk's offset is committed only after the handler resolved
 * (autoCommit off, at-least-once). A failing handler is retried on the same chunk with backoff
 * while every subscribed partition is paused (bounded memory, heartbeats keep the membership);
 * on a rebalance the uncommitted chunk is left to the partition's next owner.
 */
import kafkajs from 'kafkajs';
import type { Admin, Consumer, EachBatchPayload, IHeaders, Kafka as KafkaClient, KafkaMessage, LogEntry, Message, Producer } from 'kafkajs';
import type { ComponentContext } from '../../core/component.js';
import { ConnectionError, isRetriable, PipelineError, ValidationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import { PipelineMetrics } from '../../core/metrics.js';
import { backoffDelay, retry, sleep } from '../../core/retry.js';
import type { Bus, BusHealth, BusRecord, ConsumedBatch, ConsumedRecord, SubscribeOptions, Subscription, TopicSpec } from '../bus.js';
import type { KafkaBusConfig } from './config.js';
import { PRODUCER_RESET_CODES, toPipelineError } from './errors.js';
import { PauseGate } from './pause-gate.js';

const { Kafka, logLevel, CompressionTypes, Partitioners, ConfigResourceTypes } = kafkajs;

const COMPONENT = 'bus_kafka';

export interface KafkaBusContext {
  logger?: Logger;
  metrics?: PipelineMetrics;
}

interface PendingPublish {
  topic: string;
  messages: Message[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * kafkajs levels onto pino: the client logs every failed connection attempt at ERROR although it
 * retries and recovers, so its ERROR and WARN become warn (our error level means data loss or
 * operator action; the bus itself logs error when it gives up), INFO (joins, rebalances) becomes
 * debug and DEBUG trace.
 */
function kafkajsLogCreator(logger: Logger): () => (entry: LogEntry) => void {
  return () =>
    ({ level, label, namespace, log }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      const text = `kafkajs ${label}: ${message}`;
      if (level <= logLevel.WARN) logger.warn(fields, text);
      else if (level === logLevel.INFO) logger.debug(fields, text);
      else logger.trace(fields, text);
    };
}

function headerString(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

export function toConsumedRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  const record: ConsumedRecord = {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : '',
    value: m.value ?? Buffer.alloc(0),
  };
  if (m.headers) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.headers)) {
      const s = headerString(v);
      if (s !== undefined) headers[k] = s;
    }
    record.headers = headers;
  }
  return record;
}

export function toMessage(r: BusRecord): Message {
  const m: Message = { key: r.key, value: r.value };
  if (r.headers && Object.keys(r.headers).length > 0) m.headers = { ...r.headers };
  return m;
}

function recordBytes(r: BusRecord): number {
  let n = r.value.length + Buffer.byteLength(r.key);
  if (r.headers) for (const [k, v] of Object.entries(r.headers)) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

function messageBytes(m: Message): number {
  const size = (v: unknown): number => (v == null ? 0 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(String(v)));
  let n = size(m.value) + size(m.key);
  if (m.headers) for (const [k, v] of Object.entries(m.headers)) n += Buffer.byteLength(k) + size(v);
  return n;
}

/** Splits messages (kept in order per topic) into produce requests of at most `maxBytes` each. */
export function splitRequests(byTopic: ReadonlyMap<string, Message[]>, maxBytes: number): { topic: string; messages: Message[] }[][] {
  const requests: { topic: string; messages: Message[] }[][] = [];
  let current: { topic: string; messages: Message[] }[] = [];
  let bytes = 0;
  for (const [topic, messages] of byTopic) {
    let entry: { topic: string; messages: Message[] } | null = null;
    for (const m of messages) {
      const n = messageBytes(m);
      if (bytes > 0 && bytes + n > maxBytes) {
        requests.push(current);
        current = [];
        bytes = 0;
        entry = null;
      }
      if (!entry) {
        entry = { topic, messages: [] };
        current.push(entry);
      }
      entry.messages.push(m);
      bytes += n;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** The offset to commit after `offset` was processed (Kafka commits the next offset to read). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

export class KafkaBus implements Bus {
  readonly name = 'kafka';
  readonly config: KafkaBusConfig;
  readonly #logger: Logger;
  readonly #metrics: PipelineMetrics;
  readonly #kafka: KafkaClient;
  #admin: Admin | null = null;
  #producer: Producer | null = null;
  #connected = false;
  #closed = false;
  readonly #subscriptions = new Set<KafkaSubscription>();
  #queue: PendingPublish[] = [];
  #queueBytes = 0;
  #lingerTimer: NodeJS.Timeout | null = null;
  /** Produce requests go out one after another, so a retried request never overtakes a later one. */
  #sending: Promise<void> = Promise.resolve();

  constructor(config: KafkaBusConfig, ctx: KafkaBusContext = {}) {
    this.config = config;
    this.#logger = (ctx.logger ?? silentLogger()).child({ component: 'bus', name: 'kafka' });
    this.#metrics = ctx.metrics ?? new PipelineMetrics();
    this.#kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      retry: {
        retries: config.retries,
        initialRetryTime: config.retryInitialDelayMs,
        maxRetryTime: config.retryMaxDelayMs,
      },
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(this.#logger),
    });
  }

  /** @internal For subscriptions. */
  get client(): KafkaClient {
    return this.#kafka;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.#closed) throw new ConnectionError('The Kafka bus is closed.', { code: 'BUS_CLOSED', retriable: false });
    if (this.#connected) return;
    await this.#withRetry('connect', signal, async () => {
      this.#admin ??= this.#kafka.admin({ retry: { retries: this.config.retries } });
      await this.#admin.connect();
      await this.#ensureProducer();
    });
    this.#connected = true;
    this.#logger.info({ brokers: this.config.brokers }, 'Connected to Kafka.');
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = this.#requireAdmin();
    await this.#withRetry('ensureTopics', undefined, async () => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          timeout: this.config.requestTimeoutMs,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions ?? this.config.partitions,
            replicationFactor: t.replicationFactor ?? this.config.replicationFactor,
            configEntries: t.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }],
          })),
        });
        this.#logger.info({ topics: missing.map((t) => t.name) }, 'Created Kafka topics.');
      }
      const present = topics.filter((t) => existing.has(t.name) && t.partitions !== undefined);
      if (present.length > 0) {
        const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
        for (const t of meta.topics) {
          const wanted = present.find((p) => p.name === t.name)?.partitions ?? 0;
          if (t.partitions.length < wanted) {
            // Adding partitions moves keys to other partitions (per-key order breaks): an operator decision.
            this.#logger.warn({ topic: t.name, partitions: t.partitions.length, wanted }, 'Topic has fewer partitions than configured; not changing it.');
          }
        }
      }
    });
  }

  publish(topic: string, records: BusRecord[]): Promise<void> {
    if (this.#closed || !this.#connected) {
      return Promise.reject(new ConnectionError(`Cannot publish to ${topic}: the Kafka bus is ${this.#closed ? 'closed' : 'not connected'}.`, { code: 'BUS_CLOSED', retriable: false }));
    }
    if (records.length === 0) return Promise.resolve();
    // A record the broker would refuse fails alone, before it can share a request with others.
    const limit = this.config.producer.maxRecordBytes;
    const tooLarge = records.findIndex((r) => recordBytes(r) > limit);
    if (tooLarge >= 0) {
      const size = recordBytes(records[tooLarge] as BusRecord);
      return Promise.reject(new ValidationError(`Record ${tooLarge} for ${topic} is ${size} bytes; the limit is ${limit} (producer.maxRecordBytes).`, { code: 'RECORD_TOO_LARGE' }));
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ topic, messages: records.map(toMessage), resolve, reject });
      this.#queueBytes += records.reduce((n, r) => n + recordBytes(r), 0);
      if (this.#queueBytes >= this.config.producer.maxBatchBytes) this.#flush();
      else this.#lingerTimer ??= setTimeout(() => this.#flush(), this.config.producer.lingerMs);
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#closed || !this.#connected) throw new ConnectionError('Cannot subscribe: the Kafka bus is not connected.', { code: 'BUS_CLOSED', retriable: false });
    const sub = new KafkaSubscription(this, options, this.#logger, this.#metrics);
    this.#subscriptions.add(sub);
    try {
      await sub.start();
    } catch (err) {
      this.#subscriptions.delete(sub);
      await sub.stop().catch(() => undefined);
      throw err;
    }
    return {
      stop: async () => {
        await sub.stop();
        this.#subscriptions.delete(sub);
      },
    };
  }

  async lag(group: string, topic: string): Promise<number> {
    const admin = this.#requireAdmin();
    return this.#withRetry('lag', undefined, async () => {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
      const byPartition = new Map<number, bigint>();
      for (const t of committed) {
        if (t.topic !== topic) continue;
        for (const p of t.partitions) byPartition.set(p.partition, BigInt(p.offset));
      }
      let lag = 0n;
      for (const e of ends) {
        const high = BigInt(e.high);
        const low = BigInt(e.low);
        const c = byPartition.get(e.partition) ?? -1n;
        // No committed offset (-1): the group would start at the earliest retained record.
        const from = c < 0n ? low : c;
        if (high > from) lag += high - from;
      }
      const value = Number(lag);
      this.#metrics.consumerLag.set({ topic, group }, value);
      return value;
    });
  }

  /** Partitions and retention of a topic as the broker has them (operators and tests). */
  async describeTopic(topic: string): Promise<{ partitions: number; retentionMs: number | null }> {
    const admin = this.#requireAdmin();
    return this.#withRetry('describeTopic', undefined, async () => {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
      });
      const value = configs.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue;
      return { partitions: meta.topics[0]?.partitions.length ?? 0, retentionMs: value === undefined ? null : Number(value) };
    });
  }

  /** A consumer group's state (Stable, PreparingRebalance, Empty, Dead …) and its members' client ids. */
  async describeGroup(group: string): Promise<{ state: string; members: string[] }> {
    const admin = this.#requireAdmin();
    return this.#withRetry('describeGroup', undefined, async () => {
      const { groups } = await admin.describeGroups([group]);
      const g = groups[0];
      return { state: g?.state ?? 'Dead', members: (g?.members ?? []).map((m) => m.clientId) };
    });
  }

  async healthcheck(): Promise<BusHealth> {
    if (this.#closed) return { ok: false, detail: 'closed' };
    if (!this.#connected || !this.#admin) return { ok: false, detail: 'not connected' };
    for (const sub of this.#subscriptions) {
      const problem = sub.problem();
      if (problem) return { ok: false, detail: problem };
    }
    // A health check answers quickly: the admin client's own retries could take a minute.
    const limitMs = Math.min(this.config.requestTimeoutMs, 5000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectionError(`No answer from the brokers within ${limitMs} ms.`, { code: 'KAFKA_REQUEST_TIMEOUT' })), limitMs);
    });
    try {
      const cluster = await Promise.race([this.#admin.describeCluster(), timeout]);
      return { ok: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'unknown'}` };
    } catch (err) {
      return { ok: false, detail: (toPipelineError(err, 'healthcheck') as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    for (const sub of [...this.#subscriptions]) await sub.stop();
    this.#subscriptions.clear();
    if (this.#lingerTimer || this.#queue.length > 0) this.#flush();
    await this.#sending.catch(() => undefined);
    this.#closed = true;
    this.#connected = false;
    await this.#producer?.disconnect().catch(() => undefined);
    await this.#admin?.disconnect().catch(() => undefined);
    this.#producer = null;
    this.#admin = null;
    this.#logger.info('Disconnected from Kafka.');
  }

  #requireAdmin(): Admin {
    if (this.#closed || !this.#connected || !this.#admin) throw new ConnectionError(`The Kafka bus is ${this.#closed ? 'closed' : 'not connected'}.`, { code: 'BUS_CLOSED', retriable: false });
    return this.#admin;
  }

  async #ensureProducer(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    const producer = this.#kafka.producer({
      idempotent: true,
      // Idempotence keeps order only with one request in flight per connection in kafkajs.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: this.config.retries, initialRetryTime: this.config.retryInitialDelayMs, maxRetryTime: this.config.retryMaxDelayMs },
    });
    await producer.connect();
    this.#producer = producer;
    return producer;
  }

  async #resetProducer(): Promise<void> {
    const old = this.#producer;
    this.#producer = null;
    await old?.disconnect().catch(() => undefined);
  }

  #flush(): void {
    if (this.#lingerTimer) {
      clearTimeout(this.#lingerTimer);
      this.#lingerTimer = null;
    }
    const batch = this.#queue;
    this.#queue = [];
    this.#queueBytes = 0;
    if (batch.length === 0) return;
    this.#sending = this.#sending.then(() => this.#send(batch));
  }

  async #send(batch: PendingPublish[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const p of batch) {
      const list = byTopic.get(p.topic) ?? [];
      for (const m of p.messages) list.push(m);
      byTopic.set(p.topic, list);
    }
    const count = batch.reduce((n, p) => n + p.messages.length, 0);
    try {
      // Requests of at most maxBatchBytes each, in order: a large publish() never builds a
      // record batch the broker refuses (message.max.bytes).
      for (const request of splitRequests(byTopic, this.config.producer.maxBatchBytes)) {
        await this.#withRetry(
          'publish',
          undefined,
          async () => {
            if (this.#closed) throw new ConnectionError('The Kafka bus closed before the publish was acknowledged.', { code: 'BUS_CLOSED', retriable: false });
            const producer = await this.#ensureProducer();
            await producer.sendBatch({
              topicMessages: request,
              acks: -1,
              timeout: this.config.producer.requestTimeoutMs,
              compression: this.config.producer.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
            });
          },
          this.config.producer.maxAttempts,
        );
      }
      for (const [topic, messages] of byTopic) this.#metrics.sent.inc({ component: COMPONENT, channel: topic }, messages.length);
      this.#metrics.batchSize.observe({ component: COMPONENT }, count);
      this.#logger.trace({ records: count, topics: [...byTopic.keys()] }, 'Published batch.');
      for (const p of batch) p.resolve();
    } catch (err) {
      this.#metrics.errors.inc({ component: COMPONENT, code: err instanceof PipelineError ? err.code : 'UNKNOWN' });
      this.#logger.error({ err, records: count, topics: [...byTopic.keys()] }, 'Failed to publish batch.');
      for (const p of batch) p.reject(err);
    }
  }

  /** Runs a kafkajs call with the one retry helper; errors come out mapped to the pipeline's types. */
  async #withRetry<T>(operation: string, signal: AbortSignal | undefined, fn: () => Promise<T>, maxAttempts = 5): Promise<T> {
    return retry(
      async () => {
        try {
          return await fn();
        } catch (err) {
          throw toPipelineError(err, operation);
        }
      },
      {
        signal,
        policy: { maxAttempts, initialDelayMs: this.config.retryInitialDelayMs, maxDelayMs: this.config.retryMaxDelayMs },
        onRetry: (err, attempt, delayMs) => {
          this.#metrics.errors.inc({ component: COMPONENT, code: err instanceof PipelineError ? err.code : 'UNKNOWN' });
          this.#logger.warn({ err, operation, attempt, delayMs }, 'Kafka call failed; retrying.');
          if (err instanceof PipelineError && PRODUCER_RESET_CODES.has(err.code)) void this.#resetProducer();
        },
      },
    );
  }
}

/** One consumer in a group, handling batches for SubscribeOptions.handler. */
class KafkaSubscription {
  readonly #bus: KafkaBus;
  readonly #options: SubscribeOptions;
  readonly #logger: Logger;
  readonly #metrics: PipelineMetrics;
  readonly #config: KafkaBusConfig;
  #consumer: Consumer | null = null;
  /** Per consumer (a restart makes a new one): keeps its topics paused while a handler call fails. */
  readonly #pauseGates = new WeakMap<Consumer, PauseGate>();
  #stopping = false;
  #stopped = false;
  #problem: string | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #restarts = 0;
  readonly #abort = new AbortController();
  /** topic → partition → records behind the end of the partition, from the last fetch. */
  readonly #lag = new Map<string, Map<number, number>>();

  constructor(bus: KafkaBus, options: SubscribeOptions, logger: Logger, metrics: PipelineMetrics) {
    this.#bus = bus;
    this.#options = options;
    this.#config = bus.config;
    this.#logger = logger.child({ group: options.group });
    this.#metrics = metrics;
  }

  problem(): string | null {
    return this.#problem;
  }

  async start(): Promise<void> {
    const c = this.#config.consumer;
    const consumer = this.#bus.client.consumer({
      groupId: this.#options.group,
      sessionTimeout: c.sessionTimeoutMs,
      rebalanceTimeout: c.rebalanceTimeoutMs,
      heartbeatInterval: c.heartbeatIntervalMs,
      maxBytesPerPartition: c.maxBytesPerPartition,
      maxBytes: c.maxBytes,
      maxWaitTimeInMs: c.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: {
        retries: this.#config.retries,
        initialRetryTime: this.#config.retryInitialDelayMs,
        maxRetryTime: this.#config.retryMaxDelayMs,
        // Retriable failures (the broker went away) restart the consumer inside kafkajs.
        restartOnFailure: () => Promise.resolve(!this.#stopping),
      },
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (this.#stopping) return;
      if (restart) {
        this.#logger.warn({ err: error }, 'Kafka consumer crashed; the client restarts it.');
        return;
      }
      // Not retriable for kafkajs: start a fresh consumer ourselves, with backoff, so that a
      // long outage never leaves the group without this member for good.
      this.#problem = `consumer crashed: ${error.message}`;
      this.#restarts++;
      const delay = backoffDelay({ maxAttempts: Infinity, initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.2 }, this.#restarts);
      this.#logger.error({ err: error, delayMs: delay }, 'Kafka consumer stopped; starting a new one.');
      this.#restartTimer = setTimeout(() => void this.#restart(consumer), delay);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.#problem = null;
      this.#restarts = 0;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.#options.topics, fromBeginning: this.#options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#options.concurrency ?? c.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.#eachBatch(payload),
      });
    } catch (err) {
      throw toPipelineError(err, 'subscribe');
    }
    this.#logger.info({ topics: this.#options.topics }, 'Subscribed to Kafka topics.');
  }

  async #restart(old: Consumer): Promise<void> {
    this.#restartTimer = null;
    if (this.#stopping) return;
    await old.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (err) {
      this.#restarts++;
      const delay = backoffDelay({ maxAttempts: Infinity, initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.2 }, this.#restarts);
      this.#logger.warn({ err, delayMs: delay }, 'Could not restart the Kafka consumer; trying again.');
      if (!this.#stopping && this.#consumer) this.#restartTimer = setTimeout(() => void this.#restart(this.#consumer as Consumer), delay);
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    // The in-flight handler may finish and its chunk be committed; after the grace period its signal fires.
    const grace = setTimeout(() => this.#abort.abort(new ConnectionError('The subscription is stopping.', { code: 'BUS_STOPPING', retriable: true })), this.#config.consumer.shutdownTimeoutMs);
    try {
      // disconnect() stops fetching, waits for the running eachBatch, then leaves the group.
      await this.#consumer?.disconnect();
    } catch (err) {
      this.#logger.warn({ err }, 'Kafka consumer did not disconnect cleanly.');
    } finally {
      clearTimeout(grace);
      this.#stopped = true;
    }
    this.#logger.info('Kafka subscription stopped.');
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const max = this.#options.maxBatchRecords ?? this.#config.consumer.maxBatchRecords;
    const high = BigInt(batch.highWatermark);
    for (let start = 0; start < batch.messages.length; start += max) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + max);
      const records = chunk.map((m) => toConsumedRecord(topic, partition, m));
      const consumed: ConsumedBatch = { topic, partition, records };
      this.#metrics.received.inc({ component: COMPONENT, channel: topic }, records.length);
      this.#metrics.batchSize.observe({ component: COMPONENT }, records.length);
      const handled = await this.#handleWithRetry(consumed, payload);
      if (!handled) return;
      const last = (chunk[chunk.length - 1] as KafkaMessage).offset;
      payload.resolveOffset(last);
      const commit = nextOffset(last);
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: commit }] }] });
      this.#logger.trace({ topic, partition, offset: commit, records: records.length }, 'Committed batch.');
      this.#setLag(topic, partition, high > BigInt(commit) ? Number(high - BigInt(commit)) : 0);
      await payload.heartbeat();
    }
  }

  /**
   * Calls the handler until it resolves. While it fails, every subscribed topic is paused (no
   * more fetching: memory stays bounded) and heartbeats continue. Returns false when the
   * subscription stops or the partition was taken away: the chunk stays uncommitted. With several
   * partitions handled at once, the topics resume only when no handler call is failing any more
   * (a partition that recovers first must not restart fetching for the others).
   */
  async #handleWithRetry(consumed: ConsumedBatch, payload: EachBatchPayload): Promise<boolean> {
    let failures = 0;
    let resume: (() => void) | null = null;
    try {
      for (;;) {
        try {
          await this.#options.handler(consumed, this.#abort.signal);
          if (failures > 0) this.#logger.warn({ topic: consumed.topic, partition: consumed.partition, failures }, 'Batch handled after failures; resuming consumption.');
          return true;
        } catch (err) {
          failures++;
          this.#metrics.errors.inc({ component: COMPONENT, code: err instanceof PipelineError ? err.code : 'HANDLER_FAILED' });
          try {
            this.#options.onHandlerError?.(err, consumed);
          } catch (hookErr) {
            this.#logger.warn({ err: hookErr }, 'onHandlerError threw; ignored.');
          }
          if (!resume) {
            const consumer = this.#consumer as Consumer;
            let gate = this.#pauseGates.get(consumer);
            if (!gate) this.#pauseGates.set(consumer, (gate = new PauseGate(consumer, this.#options.topics)));
            resume = gate.hold();
          }
          const delay = backoffDelay(
            { maxAttempts: Infinity, initialDelayMs: this.#config.consumer.retryInitialDelayMs, maxDelayMs: this.#config.consumer.retryMaxDelayMs, factor: 2, jitter: 0.2 },
            failures,
          );
          const level = failures === 1 || failures % 10 === 0 ? 'warn' : 'debug';
          this.#logger[level](
            { err, topic: consumed.topic, partition: consumed.partition, firstOffset: consumed.records[0]?.offset, failures, delayMs: delay, retriable: isRetriable(err) },
            'Batch handler failed; pausing and retrying the batch.',
          );
          if (!(await this.#wait(delay, payload))) return false;
        }
      }
    } finally {
      resume?.();
    }
  }

  /** Sleeps in heartbeat-sized slices; false when the subscription stops or the partition is revoked. */
  async #wait(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      if (!payload.isRunning() || payload.isStale() || this.#stopping) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      await sleep(Math.min(left, this.#config.consumer.heartbeatIntervalMs));
      await payload.heartbeat();
    }
  }

  #setLag(topic: string, partition: number, lag: number): void {
    let perPartition = this.#lag.get(topic);
    if (!perPartition) {
      perPartition = new Map();
      this.#lag.set(topic, perPartition);
    }
    perPartition.set(partition, lag);
    let sum = 0;
    for (const v of perPartition.values()) sum += v;
    this.#metrics.consumerLag.set({ topic, group: this.#options.group }, sum);
  }
}

/** Creates a KafkaBus from parsed config and the component context. */
export function createKafkaBus(config: KafkaBusConfig, ctx: Pick<ComponentContext, 'logger' | 'metrics'>): KafkaBus {
  return new KafkaBus(config, { logger: ctx.logger, metrics: ctx.metrics });
}
