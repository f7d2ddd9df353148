/**
 * Stage 3 of the benchmark: Kafka → NLP → ClickHouse end to end, on the real broker and server
 * (scripts/services.sh up; VOC_KAFKA_BROKERS and VOC_CLICKHOUSE_URL set), with 1 and 2 consumer
 * processes (bench/kafka-consumer.ts: the service's processing path, timed at the sink).
 *
 * Per consumer count, on a fresh topic (4 partitions) and group, into a fresh database:
 *   1. warm-up: 2,000 events, until all are stored (the group has joined, the JIT is warm);
 *   2. burst: N events published as fast as the producer goes; drain rate = N / (last store
 *      write − first publish): the sustained capacity of the consumers;
 *   3. steady: R events/s for T seconds, open loop (receivedAt stamped at publish); event-to-store
 *      latency p50/p99 (receivedAt → batch durable in ClickHouse) and the rate actually stored.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseFeedbackEventLine } from '../src/connectors/feedback-events/parse.js';
import { loadConfig } from '../src/core/config.js';
import { createLogger } from '../src/core/logger.js';
import { PipelineMetrics } from '../src/core/metrics.js';
import { eventId, type FeedbackEvent } from '../src/core/feedback-event.js';
import { openBus, openSink } from '../src/runner/wiring.js';
import type { Bus, BusRecord } from '../src/bus/bus.js';
import { ensureCorpus, load1, percentile, REPO, TSX } from './lib/common.js';
import { readFileSync } from 'node:fs';

export interface KafkaFigure {
  consumers: number;
  burst: { events: number; publishSeconds: number; publishPerSec: number; drainSeconds: number; docsPerSec: number; p50Ms: number; p99Ms: number };
  steady: SteadyFigure[];
  /** Per consumer: batches handled, records, ms inside handler calls and inside sink writes, CPU seconds. */
  consumerTime: ConsumerTime[];
  load1: number;
}

export interface ConsumerTime {
  batches: number;
  records: number;
  handlerMs: number;
  sinkMs: number;
  sinkCalls: number;
  firstBatchAt: number;
  lastBatchAt: number;
  cpuSeconds?: number;
}

export interface SteadyFigure {
  targetPerSec: number;
  /** Publishing time to the last store write. */
  seconds: number;
  events: number;
  /** events / (publishing time + the tail until the last write): below the target by that tail. */
  storedPerSec: number;
  /** Seconds from the end of publishing to the last store write: small when the consumers kept up. */
  tailSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface KafkaResult {
  skipped?: string;
  error?: string;
  brokers?: string;
  clickhouse?: string;
  figures: KafkaFigure[];
}

interface Phase {
  count: number;
  firstWriteMs: number;
  lastWriteMs: number;
  hist: Record<string, number>;
}

class Consumer {
  readonly child: ChildProcessWithoutNullStreams;
  written = 0;
  /** When this consumer last reported a store write (ms since epoch). */
  lastWriteMs = 0;
  ready: Promise<void>;
  final: Promise<Record<string, Phase>>;
  time: ConsumerTime | undefined;
  stderr = '';
  constructor(topic: string, group: string, env: NodeJS.ProcessEnv) {
    const args = [join(REPO, 'bench', 'kafka-consumer.ts'), '--topic', topic, '--group', group];
    // BENCH_CONSUMER_PROFILE=<dir>: each consumer runs under node --cpu-prof (see bench/profile.ts).
    const prof = process.env.BENCH_CONSUMER_PROFILE;
    this.child = prof
      ? spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', prof, '--import', 'tsx', ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(TSX, args, { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    const rl = createInterface({ input: this.child.stdout });
    let onReady: () => void = () => undefined;
    let onFinal: (p: Record<string, Phase>) => void = () => undefined;
    this.ready = new Promise((r) => (onReady = r));
    this.final = new Promise((resolve, reject) => {
      onFinal = resolve;
      this.child.on('exit', (code) => reject(new Error(`consumer exited with code ${code}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`)));
    });
    this.final.catch(() => undefined);
    rl.on('line', (line) => {
      let m: { type?: string; written?: number; phases?: Record<string, Phase>; time?: ConsumerTime; cpuSeconds?: number };
      try {
        m = JSON.parse(line) as typeof m;
      } catch {
        return;
      }
      if (m.type === 'ready') onReady();
      if (typeof m.written === 'number' && m.written !== this.written) {
        this.written = m.written;
        this.lastWriteMs = Date.now();
      }
      if (m.type === 'final' && m.phases) {
        if (m.time) this.time = { ...m.time, cpuSeconds: m.cpuSeconds };
        onFinal(m.phases);
      }
    });
  }
  async stop(): Promise<Record<string, Phase>> {
    this.child.kill('SIGTERM');
    return this.final;
  }
}

function lastWrite(consumers: Consumer[]): number {
  return Math.max(...consumers.map((c) => c.lastWriteMs));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(20);
  }
}

function mergePhases(all: Record<string, Phase>[], name: string): { count: number; first: number; last: number; sorted: number[] } {
  let count = 0;
  let first = Infinity;
  let last = 0;
  const hist = new Map<number, number>();
  for (const phases of all) {
    const p = phases[name];
    if (!p) continue;
    count += p.count;
    first = Math.min(first, p.firstWriteMs);
    last = Math.max(last, p.lastWriteMs);
    for (const [ms, n] of Object.entries(p.hist)) hist.set(Number(ms), (hist.get(Number(ms)) ?? 0) + n);
  }
  // Expand to a sorted list of latencies (bounded: at most one entry per distinct ms with counts).
  const sorted: number[] = [];
  for (const [ms, n] of [...hist].sort((a, b) => a[0] - b[0])) for (let i = 0; i < n; i++) sorted.push(ms);
  return { count, first, last, sorted };
}

function eventsFrom(path: string, n: number): Omit<FeedbackEvent, 'id' | 'receivedAt' | 'sourceId'>[] {
  const out: Omit<FeedbackEvent, 'id' | 'receivedAt' | 'sourceId'>[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length && out.length < n; i++) {
    const o = parseFeedbackEventLine(lines[i]!, `bench:${i + 1}`);
    if (o.kind === 'event') {
      const { id: _id, receivedAt: _r, sourceId: _s, ...rest } = o.event;
      out.push(rest);
    }
  }
  return out;
}

type Template = ReturnType<typeof eventsFrom>[number];

/** sourceId `<phase>-<run>-<i>`: unique across runs and consumer counts (the store dedups by id). */
function record(t: Template, phase: string, i: string, now: string): BusRecord {
  const sourceId = `${phase}-${i}`;
  // A live stream: the customer spoke within the last three days (the corpus spreads occurredAt
  // over ten months, which is a historical replay's shape; the store partitions by month).
  const ageMs = (Number.parseInt(sourceId.slice(-4).replace(/\D/g, '0'), 10) % 72) * 3600_000;
  const occurredAt = new Date(Date.parse(now) - ageMs).toISOString();
  const e: FeedbackEvent = { ...t, sourceId, occurredAt, id: eventId(t.channel, t.source, sourceId), receivedAt: now };
  return { key: e.id, value: Buffer.from(JSON.stringify(e)) };
}

async function publishBurst(bus: Bus, topic: string, templates: Template[], phase: string, n: number, tag: string, batch = 1000, concurrency = 4): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      const start = next;
      next += batch;
      const now = new Date().toISOString();
      const recs: BusRecord[] = [];
      for (let i = start; i < Math.min(n, start + batch); i++) recs.push(record(templates[i % templates.length]!, phase, `${tag}-${i}`, now));
      await bus.publish(topic, recs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return (performance.now() - t0) / 1000;
}

/** Open loop: every 100 ms, the events due by then, stamped now; publishes do not wait for each other. */
async function publishSteady(bus: Bus, topic: string, templates: Template[], phase: string, perSec: number, seconds: number, tag: string): Promise<number> {
  const total = Math.round(perSec * seconds);
  const t0 = performance.now();
  let sent = 0;
  const inflight = new Set<Promise<void>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * perSec));
    if (due > sent) {
      const now = new Date().toISOString();
      const recs: BusRecord[] = [];
      for (let i = sent; i < due; i++) recs.push(record(templates[i % templates.length]!, phase, `${tag}-${i}`, now));
      sent = due;
      const p = bus.publish(topic, recs).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await sleep(100 - ((performance.now() - t0) % 100));
  }
  await Promise.all(inflight);
  return total;
}

export async function benchKafkaClickHouse(opts: {
  seed: number;
  consumerCounts: number[];
  burstEvents: number;
  /** Open-loop rates to hold, in turn, each for its seconds; a rate below 1 is that fraction of the measured drain rate. */
  steady: { rate: number; seconds: number }[];
  log?: (s: string) => void;
}): Promise<KafkaResult> {
  const log = opts.log ?? (() => undefined);
  const brokers = process.env.VOC_KAFKA_BROKERS;
  const url = process.env.VOC_CLICKHOUSE_URL;
  if (!brokers || !url) return { skipped: 'services not running (VOC_KAFKA_BROKERS / VOC_CLICKHOUSE_URL unset)', figures: [] };

  const runId = randomBytes(4).toString('hex');
  const database = `voc_bench_${runId}`;
  const env: NodeJS.ProcessEnv = { ...process.env, VOC_BUS: 'kafka', VOC_STORE: 'clickhouse', VOC_CLICKHOUSE_DATABASE: database, VOC_LOG_LEVEL: 'warn' };
  const config = loadConfig({ env });
  const logger = createLogger({ level: 'error' });
  const ctx = { config, logger, metrics: new PipelineMetrics(), signal: new AbortController().signal };

  // Migrate once, before consumers start (two consumers migrating at once would race).
  let sink: Awaited<ReturnType<typeof openSink>>;
  let bus: Bus;
  try {
    sink = await openSink(ctx);
  } catch (err) {
    return { brokers, clickhouse: url, figures: [], error: `ClickHouse not reachable: ${(err as Error).message}` };
  }
  try {
    bus = await openBus(ctx);
  } catch (err) {
    await sink.close();
    return { brokers, clickhouse: url, figures: [], error: `Kafka not reachable: ${(err as Error).message}` };
  }
  const corpus = await ensureCorpus(opts.seed, Math.min(100_000, Math.max(10_000, opts.burstEvents)));
  const templates = eventsFrom(corpus.path, 100_000);
  const figures: KafkaFigure[] = [];
  try {
    for (const n of opts.consumerCounts) {
      const topic = `bench.raw.${runId}.c${n}`;
      const tag = `${runId}c${n}`;
      const group = `bench-${runId}-c${n}`;
      await bus.ensureTopics([{ name: topic, partitions: 4, retentionMs: 3600_000 }]);
      log(`  kafka → clickhouse, ${n} consumer(s): starting…`);
      const consumers = Array.from({ length: n }, () => new Consumer(topic, group, env));
      const totalWritten = (): number => consumers.reduce((s, c) => s + c.written, 0);
      try {
        await Promise.race([Promise.all(consumers.map((c) => c.ready)), ...consumers.map((c) => c.final.then(() => undefined))]);
        const load = load1();
        await publishBurst(bus, topic, templates, 'warm', 2000, tag);
        await until(() => totalWritten() >= 2000, 120_000, 'the warm-up events in the store');

        log(`    burst of ${opts.burstEvents}…`);
        const tBurst = Date.now();
        const publishSeconds = await publishBurst(bus, topic, templates, 'burst', opts.burstEvents, tag);
        await until(() => totalWritten() >= 2000 + opts.burstEvents, 600_000, 'the burst in the store');

        const drainPerSec = opts.burstEvents / ((lastWrite(consumers) - tBurst) / 1000);
        let expected = 2000 + opts.burstEvents;
        const steadyRuns: { name: string; perSec: number; t0: number; published: number }[] = [];
        for (const [k, { rate, seconds }] of opts.steady.entries()) {
          const perSec = Math.max(100, Math.round(rate < 1 ? rate * drainPerSec : rate));
          const name = `steady${k}`;
          log(`    steady ${perSec}/s for ${seconds}s…`);
          const t0 = Date.now();
          expected += await publishSteady(bus, topic, templates, name, perSec, seconds, tag);
          const published = Date.now();
          await until(() => totalWritten() >= expected, 600_000, 'the steady events in the store');
          steadyRuns.push({ name, perSec, t0, published });
        }

        const finals = await Promise.all(consumers.map((c) => c.stop()));
        const b = mergePhases(finals, 'burst');
        const fig: KafkaFigure = {
          consumers: n,
          burst: {
            events: b.count,
            publishSeconds,
            publishPerSec: opts.burstEvents / publishSeconds,
            drainSeconds: (b.last - tBurst) / 1000,
            docsPerSec: b.count / ((b.last - tBurst) / 1000),
            p50Ms: percentile(b.sorted, 50),
            p99Ms: percentile(b.sorted, 99),
          },
          steady: steadyRuns.map((r) => {
            const s = mergePhases(finals, r.name);
            return {
              targetPerSec: r.perSec,
              seconds: (s.last - r.t0) / 1000,
              events: s.count,
              storedPerSec: s.count / ((s.last - r.t0) / 1000),
              tailSeconds: Math.max(0, (s.last - r.published) / 1000),
              p50Ms: percentile(s.sorted, 50),
              p99Ms: percentile(s.sorted, 99),
              maxMs: s.sorted.at(-1) ?? NaN,
            };
          }),
          consumerTime: consumers.flatMap((c) => (c.time ? [c.time] : [])),
          load1: load,
        };
        for (const t of fig.consumerTime) {
          log(`    consumer: ${t.batches} batches of ${Math.round(t.records / Math.max(1, t.batches))}, ${Math.round(t.handlerMs)} ms in handlers (${Math.round(t.sinkMs)} ms in sink writes) over ${Math.round((t.lastBatchAt - t.firstBatchAt) / 1000)} s, ${t.cpuSeconds?.toFixed(1)} CPU-s`);
        }
        log(`    drain ${Math.round(fig.burst.docsPerSec)} docs/s; ${fig.steady.map((x) => `at ${x.targetPerSec}/s p50 ${x.p50Ms} ms p99 ${x.p99Ms} ms`).join('; ')}`);
        figures.push(fig);
      } finally {
        // A consumer writes its profile while exiting: give it time before the kill.
        const grace = Date.now() + (process.env.BENCH_CONSUMER_PROFILE ? 10_000 : 0);
        while (consumers.some((c) => c.child.exitCode === null) && Date.now() < grace) await sleep(50);
        for (const c of consumers) if (c.child.exitCode === null) c.child.kill('SIGKILL');
      }
    }
    return { brokers, clickhouse: url, figures };
  } catch (err) {
    return { brokers, clickhouse: url, figures, error: (err as Error).message };
  } finally {
    await sink.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await bus.close();
    await sink.close();
  }
}

if (process.argv[1]?.endsWith('kafka-clickhouse.ts')) {
  const r = await benchKafkaClickHouse({ seed: 42, consumerCounts: (process.env.BENCH_CONSUMERS ?? '1,2').split(',').map(Number), burstEvents: Number(process.env.BENCH_BURST ?? 20_000), steady: [{ rate: 0.7, seconds: 10 }], log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
