/**
 * The NLP stage on worker threads, so that every core works: N threads each build the stage once
 * and take batches of events; a batch goes to the thread with the fewest batches in flight. The
 * stage is pure, so results are the same as in-process, in the same order per batch.
 *
 * Callers get parallelism by keeping several batches in flight (e.g. one per partition, or
 * `processAll` below). Only the texts (and ids, for error messages) go to a thread: the stage reads
 * nothing else of the envelope. Results come back encoded (worker-pool-codec.ts: one transferred
 * Float64Array and the varying strings) and are rebuilt into EnrichedEvents here, because
 * structured-cloning EnrichedEvents cost the main thread about as much as the analysis (measured
 * in docs/performance.md).
 *
 * Under tsx/vitest the thread's .ts entry is started through tsx's loader (a worker thread does
 * not inherit the parent's module hooks on Node 20); from dist/ it is plain .js.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EnrichedEvent } from '../core/enriched-event.js';
import type { FeedbackEvent } from '../core/feedback-event.js';
import { StageError } from '../core/errors.js';
import type { NlpStageOptions } from './stage.js';
import { BatchDecoder, type EncodedBatch, type ThreadOutcome } from './worker-pool-codec.js';

/** What the thread answers per event: the stage's outputs, or why it failed. */
export type WorkerOutcome = ThreadOutcome;

/** Per event: the stage's outputs (0 = filtered), or the error to dead-letter it with. */
export type PoolOutcome = { ok: true; out: EnrichedEvent[] } | { ok: false; error: StageError };

export interface NlpWorkerPoolOptions {
  /** Threads; default 1. Two on a 2-core machine leaves the main thread sharing a core. */
  workers?: number;
  /** Stage options; only cloneable fields (paths, flags) reach the threads. */
  stage?: Pick<NlpStageOptions, 'codeFramePath' | 'lexiconDir' | 'tokens' | 'scorer'>;
}

interface Pending {
  events: FeedbackEvent[];
  resolve(outcomes: PoolOutcome[]): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  pending: Map<number, Pending>;
  decoder: BatchDecoder;
}

const STAGE_NAME = 'analyze_feedback';

function threadEntry(): URL {
  const self = new URL(import.meta.url);
  const ext = self.pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker-pool-thread${ext}`, self);
}

function startThread(workerData: unknown): Worker {
  const entry = threadEntry();
  // A thread inherits the process's flags; --input-type (node -e with ESM) is refused for a file entry.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  if (entry.pathname.endsWith('.js')) return new Worker(entry, { workerData, execArgv });
  // Source tree (tsx, vitest): register tsx's loader in the thread, then import the .ts entry.
  // createRequire, not import.meta.resolve (vitest's module runner has none); it finds the CommonJS
  // build, whose ESM sibling is the one that registers hooks.
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const src = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(src, { eval: true, workerData, execArgv });
}

export class NlpWorkerPool {
  private readonly slots: Slot[];
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;

  private constructor(slots: Slot[]) {
    this.slots = slots;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Starts the threads and resolves when every one has built its stage. */
  static async start(options: NlpWorkerPoolOptions = {}): Promise<NlpWorkerPool> {
    const n = options.workers ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`workers: expected a positive integer, got ${n}`);
    const workers = Array.from({ length: n }, () => startThread({ options: options.stage ?? {} }));
    let decoders: BatchDecoder[];
    try {
      decoders = await Promise.all(
        workers.map(
          (w) =>
            new Promise<BatchDecoder>((resolve, reject) => {
              const onMessage = (m: { type: string; message?: string; codeFrame?: EnrichedEvent['nlp']['codeFrame'] }): void => {
                w.off('error', onError);
                w.off('message', onMessage);
                if (m.type === 'ready' && m.codeFrame) resolve(new BatchDecoder(m.codeFrame));
                else reject(new StageError(STAGE_NAME, `NLP worker failed to start: ${m.message ?? m.type}.`, { code: 'WORKER_INIT' }));
              };
              const onError = (err: Error): void => reject(new StageError(STAGE_NAME, `NLP worker failed to start: ${err.message}.`, { code: 'WORKER_INIT', cause: err }));
              w.on('message', onMessage);
              w.once('error', onError);
            }),
        ),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    const pool = new NlpWorkerPool(workers.map((worker, i) => ({ worker, inFlight: 0, pending: new Map(), decoder: decoders[i] as BatchDecoder })));
    for (const slot of pool.slots) pool.listen(slot);
    return pool;
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (m: { type: 'result'; id: number; batch?: EncodedBatch; outcomes?: WorkerOutcome[] }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      slot.inFlight--;
      let outcomes: WorkerOutcome[];
      try {
        outcomes = m.batch ? slot.decoder.decode(m.batch, p.events) : (m.outcomes ?? []);
      } catch (err) {
        p.reject(err);
        return;
      }
      p.resolve(outcomes.map((o): PoolOutcome => (o.ok ? o : { ok: false, error: new StageError(STAGE_NAME, `NLP stage failed: ${o.message}`, { code: o.code }) })));
    });
    const fail = (err: Error): void => {
      this.failure ??= err;
      for (const p of slot.pending.values()) p.reject(new StageError(STAGE_NAME, `NLP worker stopped: ${err.message}.`, { code: 'WORKER_DIED', retriable: true, cause: err }));
      slot.pending.clear();
      slot.inFlight = 0;
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`worker exited with code ${code}`));
    });
  }

  /** Runs the stage over one batch on the least busy thread; outcomes in input order. */
  process(events: FeedbackEvent[]): Promise<PoolOutcome[]> {
    if (this.closed) return Promise.reject(new StageError(STAGE_NAME, 'NLP worker pool is closed.', { code: 'WORKER_CLOSED' }));
    if (this.failure) return Promise.reject(new StageError(STAGE_NAME, `NLP worker pool failed: ${this.failure.message}.`, { code: 'WORKER_DIED', retriable: true, cause: this.failure }));
    if (events.length === 0) return Promise.resolve([]);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inFlight < slot.inFlight) slot = s;
    const id = this.nextId++;
    slot.inFlight++;
    const ids: string[] = [];
    const texts: string[] = [];
    for (const e of events) {
      ids.push(e.id);
      texts.push(e.text);
    }
    return new Promise<PoolOutcome[]>((resolve, reject) => {
      slot.pending.set(id, { events, resolve, reject });
      slot.worker.postMessage({ type: 'batch', id, ids, texts });
    });
  }

  /**
   * Runs the stage over many events in batches of `batchSize`, with up to `inFlight` batches
   * outstanding (default two per thread); outcomes in input order.
   */
  async processAll(events: FeedbackEvent[], batchSize = 256, inFlight = this.slots.length * 2): Promise<PoolOutcome[]> {
    const out: PoolOutcome[][] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < events.length) {
        const start = next;
        next += batchSize;
        out[start / batchSize] = await this.process(events.slice(start, start + batchSize));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, inFlight) }, lane));
    return out.flat();
  }

  /** Lets in-flight batches finish, then ends the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        const exited = new Promise<void>((resolve) => s.worker.once('exit', () => resolve()));
        while (s.inFlight > 0 && !this.failure) await new Promise((r) => setTimeout(r, 5));
        s.worker.postMessage({ type: 'close' });
        // A thread that does not end on its own within a second is terminated.
        const timer = setTimeout(() => void s.worker.terminate(), 1000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
