/**
 * The Bus contract: keyed records on topics, consumed by named groups, at-least-once. Implemented
 * by memory.ts (embedded default) and kafka/ (the only place that imports kafkajs).
 */

export interface BusRecord {
  /** Partitioning key: one source record's updates stay in order. */
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
  /**
   * In-process only: the value already decoded and validated by a publisher in the same process
   * (the replay sets the FeedbackEvent its connector validated). The memory bus hands it to the
   * consumer, which then skips decoding and validating `value` again; Kafka sends key, value and
   * headers only, so a record from another process never carries it.
   */
  decoded?: unknown;
}

export interface ConsumedRecord extends BusRecord {
  topic: string;
  partition: number;
  /** Offset as a decimal string (Kafka offsets exceed 2^53 in theory). */
  offset: string;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
}

export interface TopicSpec {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  /** Retention in ms; raw topics carry unredacted text and keep it briefly. */
  retentionMs?: number;
}

export interface SubscribeOptions {
  topics: string[];
  group: string;
  /** Upper bound on records handed to one handler call. */
  maxBatchRecords?: number;
  /**
   * Batches of different partitions handled at the same time (default 1; Kafka: the config's
   * consumer.partitionsConsumedConcurrently when unset). Batches of one partition are always
   * handled in order, one at a time.
   */
  concurrency?: number;
  /** Start from the earliest offset when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /**
   * Handles one batch. The bus commits the batch's offsets only after this resolves: the handler
   * resolves once the sink (or the dead letters) has durably taken every record. If it throws,
   * nothing is committed and the batch is delivered again.
   */
  handler: (batch: ConsumedBatch, signal: AbortSignal) => Promise<void>;
  /** Called when the handler throws (before redelivery); for logging and metrics. */
  onHandlerError?: (err: unknown, batch: ConsumedBatch) => void;
}

export interface Subscription {
  /** Stop fetching, let the in-flight batch finish and commit, then leave the group. */
  stop(): Promise<void>;
}

export interface BusHealth {
  ok: boolean;
  detail?: string;
}

export interface Bus {
  readonly name: string;
  connect(signal?: AbortSignal): Promise<void>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Resolves only after the bus has durably accepted every record (acks=all on Kafka). */
  publish(topic: string, records: BusRecord[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Records published to `topic` that `group` has not committed yet (summed over partitions). */
  lag(group: string, topic: string): Promise<number>;
  healthcheck(): Promise<BusHealth>;
  close(): Promise<void>;
}
