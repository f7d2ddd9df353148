import { createHash } from 'node:crypto';
import { ConnectionError, PipelineError } from '../core/errors.js';
import { sleep } from '../core/retry.js';
import type { Bus, BusHealth, BusRecord, ConsumedBatch, ConsumedRecord, SubscribeOptions, Subscription, TopicSpec } from './bus.js';

interface MemoryTopic {
  partitions: ConsumedRecord[][];
}

export interface MemoryBusOptions {
  /** Partitions of a topic created implicitly by publish (default 4). */
  defaultPartitions?: number;
  /** How long an idle consumer waits before looking again (ms). */
  pollIntervalMs?: number;
}

/**
 * The embedded bus: topics with partitions and per-group committed offsets, in one process. It keeps
 * the Bus contract's semantics (keyed partitioning, commit-after-handler, redelivery on failure) so
 * that the pipeline behaves the same on the memory bus as on Kafka. Consumed records are released
 * once every known group has committed past them, so memory stays bounded during a long replay.
 */
export class MemoryBus implements Bus {
  readonly name = 'memory';
  readonly #topics = new Map<string, MemoryTopic>();
  /** group → topic → partition → next offset to read. */
  readonly #committed = new Map<string, Map<string, number[]>>();
  /** topic → partition → offset of element 0 (records before it were released). */
  readonly #base = new Map<string, number[]>();
  readonly #defaultPartitions: number;
  readonly #pollIntervalMs: number;
  #connected = false;
  #closed = false;
  readonly #subscriptions = new Set<MemorySubscription>();

  constructor(options: MemoryBusOptions = {}) {
    this.#defaultPartitions = options.defaultPartitions ?? 4;
    this.#pollIntervalMs = options.pollIntervalMs ?? 5;
  }

  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionError('The memory bus is closed.', { retriable: false, code: 'BUS_CLOSED' }));
    this.#connected = true;
    return Promise.resolve();
  }

  ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (const t of topics) this.#topic(t.name, t.partitions);
    return Promise.resolve();
  }

  publish(topic: string, records: BusRecord[]): Promise<void> {
    this.#assertOpen();
    const t = this.#topic(topic);
    const base = this.#base.get(topic) as number[];
    for (const r of records) {
      const p = partitionFor(r.key, t.partitions.length);
      const part = t.partitions[p] as ConsumedRecord[];
      const offset = (base[p] as number) + part.length;
      part.push({ ...r, topic, partition: p, offset: String(offset) });
    }
    return Promise.resolve();
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    for (const topic of options.topics) {
      this.#topic(topic);
      this.#offsets(options.group, topic);
    }
    const sub = new MemorySubscription(this, options, this.#pollIntervalMs);
    this.#subscriptions.add(sub);
    sub.start();
    return Promise.resolve({
      stop: async () => {
        await sub.stop();
        this.#subscriptions.delete(sub);
      },
    });
  }

  lag(group: string, topic: string): Promise<number> {
    const t = this.#topic(topic);
    const base = this.#base.get(topic) as number[];
    const offsets = this.#offsets(group, topic);
    let lag = 0;
    t.partitions.forEach((part, p) => {
      lag += (base[p] as number) + part.length - (offsets[p] as number);
    });
    return Promise.resolve(lag);
  }

  healthcheck(): Promise<BusHealth> {
    return Promise.resolve(this.#connected && !this.#closed ? { ok: true } : { ok: false, detail: this.#closed ? 'closed' : 'not connected' });
  }

  async close(): Promise<void> {
    for (const sub of [...this.#subscriptions]) await sub.stop();
    this.#subscriptions.clear();
    this.#closed = true;
    this.#connected = false;
  }

  /** @internal Next batch of one partition for a group, or null when it is caught up. */
  nextBatch(group: string, topics: string[], max: number, skip: ReadonlySet<string>): ConsumedBatch | null {
    for (const topic of topics) {
      const t = this.#topic(topic);
      const base = this.#base.get(topic) as number[];
      const offsets = this.#offsets(group, topic);
      for (let p = 0; p < t.partitions.length; p++) {
        if (skip.has(`${topic}/${p}`)) continue;
        const from = (offsets[p] as number) - (base[p] as number);
        const part = t.partitions[p] as ConsumedRecord[];
        if (from < part.length) return { topic, partition: p, records: part.slice(from, from + max) };
      }
    }
    return null;
  }

  /** @internal */
  commit(group: string, batch: ConsumedBatch): void {
    const last = batch.records[batch.records.length - 1];
    if (!last) return;
    const offsets = this.#offsets(group, batch.topic);
    offsets[batch.partition] = Math.max(offsets[batch.partition] as number, Number(last.offset) + 1);
    this.#release(batch.topic, batch.partition);
  }

  #release(topic: string, partition: number): void {
    let min = Infinity;
    for (const byTopic of this.#committed.values()) {
      const offs = byTopic.get(topic);
      if (offs) min = Math.min(min, offs[partition] as number);
    }
    const base = this.#base.get(topic) as number[];
    const drop = min - (base[partition] as number);
    if (Number.isFinite(drop) && drop > 1024) {
      const t = this.#topic(topic);
      t.partitions[partition] = (t.partitions[partition] as ConsumedRecord[]).slice(drop);
      base[partition] = min;
    }
  }

  #topic(name: string, partitions?: number): MemoryTopic {
    let t = this.#topics.get(name);
    if (!t) {
      const n = partitions ?? this.#defaultPartitions;
      t = { partitions: Array.from({ length: n }, () => []) };
      this.#topics.set(name, t);
      this.#base.set(name, Array.from({ length: n }, () => 0));
    }
    return t;
  }

  #offsets(group: string, topic: string): number[] {
    let byTopic = this.#committed.get(group);
    if (!byTopic) {
      byTopic = new Map();
      this.#committed.set(group, byTopic);
    }
    let offs = byTopic.get(topic);
    if (!offs) {
      const t = this.#topic(topic);
      // A new group starts at the earliest retained offset.
      offs = [...(this.#base.get(topic) as number[])].slice(0, t.partitions.length);
      byTopic.set(topic, offs);
    }
    return offs;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionError('The memory bus is closed.', { retriable: false, code: 'BUS_CLOSED' });
    if (!this.#connected) throw new PipelineError('The memory bus is not connected: call connect() first.', { code: 'BUS_NOT_CONNECTED' });
  }
}

class MemorySubscription {
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #abort = new AbortController();

  constructor(
    private readonly bus: MemoryBus,
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
  ) {}

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const lanes = Math.max(1, this.options.concurrency ?? 1);
    // A partition whose handler failed waits a little before redelivery, so one poison batch
    // cannot spin the loop; other partitions go on. A partition being handled is skipped by the
    // other lanes: one partition's batches stay in order.
    const backoff = new Map<string, number>();
    const busy = new Set<string>();
    const lane = async (): Promise<void> => {
      const max = this.options.maxBatchRecords ?? 500;
      while (this.#running) {
        const now = Date.now();
        const skip = new Set(busy);
        for (const [k, until] of backoff) if (until > now) skip.add(k);
        const batch = this.bus.nextBatch(this.options.group, this.options.topics, max, skip);
        if (!batch) {
          await sleep(this.pollIntervalMs).catch(() => undefined);
          continue;
        }
        const key = `${batch.topic}/${batch.partition}`;
        busy.add(key);
        try {
          await this.options.handler(batch, this.#abort.signal);
          this.bus.commit(this.options.group, batch);
          backoff.delete(key);
        } catch (err) {
          this.options.onHandlerError?.(err, batch);
          backoff.set(key, Date.now() + 100);
        } finally {
          busy.delete(key);
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }
}

/** Same key → same partition (stable hash), so one record's updates stay in order. */
export function partitionFor(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}
