import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, PipelineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ModelDtype, ModelLocation } from './config.js';
import { WORKER_SOURCE } from './worker-source.js';

/** The package the stage runs on (an optional dependency). */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

/** Rows × cols of float32, row-major: class scores or embeddings. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export type Pooling = 'mean' | 'cls';

/** What the model stage needs from an inference engine; the worker below is the real one. */
export interface InferenceBackend {
  /** Labels of the sentiment model in score-column order; empty without one. */
  readonly labels: readonly string[];
  /** One row of class probabilities per text. */
  classify(texts: string[]): Promise<Matrix>;
  /** One L2-normalised vector per text. */
  embed(texts: string[], pooling: Pooling): Promise<Matrix>;
  close(): Promise<void>;
}

export interface WorkerModelSpec {
  location: ModelLocation;
  maxTokens: number;
}

export interface InferenceWorkerOptions {
  sentiment?: WorkerModelSpec;
  embedding?: WorkerModelSpec;
  dtype: ModelDtype;
  threads: number;
  loadTimeoutMs: number;
  inferenceTimeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

interface ReadyMessage {
  type: 'ready';
  models: { sentiment?: { labels: string[] }; embedding?: { dims: number } };
}
interface InitErrorMessage {
  type: 'init_error';
  model: string | null;
  dir: string | null;
  message: string;
}
interface ReplyMessage {
  id: number;
  ok: boolean;
  data?: Float32Array;
  rows?: number;
  cols?: number;
  message?: string;
}

/** Where transformers.js is installed, as a file URL the worker can import; a ConfigError when it is not. */
export function resolveTransformers(pkg: string = TRANSFORMERS_PACKAGE): string {
  const require = createRequire(import.meta.url);
  try {
    return pathToFileURL(require.resolve(pkg)).href;
  } catch (err) {
    throw new ConfigError(
      `model.enabled is true: expected the optional dependency ${pkg} to be installed, got none (install without --omit=optional, or npm install ${pkg})`,
      { code: 'MODEL_RUNTIME_MISSING', cause: err },
    );
  }
}

/** How long a worker gets to dispose its sessions and end before it is terminated. */
const EXIT_GRACE_MS = 5_000;

/**
 * End a worker: ask it to dispose its sessions and finish (or wait for it to finish on its own),
 * terminating only when it does not end in time. Resolves once the thread is gone, so that two
 * ONNX Runtime workers never overlap in one process.
 */
export function stopWorker(worker: Worker, ask: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.threadId === -1) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      void worker.terminate().then(() => resolve(), () => resolve());
    }, EXIT_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.ref();
    if (ask) {
      try {
        worker.postMessage({ op: 'close' });
      } catch {
        // The port is already closed: the thread is ending by itself.
      }
    }
  });
}

/**
 * Inference in a worker thread so the NLP stage and the event loop (health checks, consumer
 * heartbeats) are not blocked by ONNX Runtime. One request at a time (ONNX Runtime already uses
 * its own threads per call); the worker is unref'd while idle so that it never keeps a finished
 * process alive. A call that times out or a worker that dies rejects its request with a retriable
 * PipelineError; the next call starts a fresh worker.
 */
export class InferenceWorker implements InferenceBackend {
  labels: readonly string[] = [];
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** A worker being terminated after a timeout; the next one starts after it is gone. */
  private stopping: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, { resolve: (m: ReplyMessage) => void; reject: (e: unknown) => void }>();

  private constructor(
    private readonly options: InferenceWorkerOptions,
    private readonly transformersUrl: string,
  ) {}

  /** Start the worker and load the models; rejects with a ConfigError naming the model directory. */
  static async start(options: InferenceWorkerOptions): Promise<InferenceWorker> {
    const w = new InferenceWorker(options, resolveTransformers());
    await w.spawn();
    options.signal?.addEventListener('abort', () => void w.close(), { once: true });
    return w;
  }

  private spawn(): Promise<void> {
    const { options } = this;
    const spec = (s: WorkerModelSpec | undefined) =>
      s && { localModelPath: s.location.localModelPath, modelId: s.location.modelId, maxTokens: s.maxTokens };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        transformersUrl: this.transformersUrl,
        dtype: options.dtype,
        threads: options.threads,
        models: { sentiment: spec(options.sentiment), embedding: spec(options.embedding) },
      },
      stdout: false,
      stderr: false,
    });
    const dirs = [options.sentiment, options.embedding].filter((s) => s !== undefined).map((s) => s.location.dir);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        void worker.terminate();
        reject(
          new ConfigError(`Models in ${dirs.join(', ')}: expected to load within ${options.loadTimeoutMs} ms, got no answer`, {
            code: 'MODEL_LOAD_TIMEOUT',
          }),
        );
      }, options.loadTimeoutMs);
      const onMessage = (msg: ReadyMessage | InitErrorMessage) => {
        cleanup();
        if (msg.type === 'ready') {
          this.worker = worker;
          this.labels = msg.models.sentiment?.labels ?? [];
          worker.on('message', (m: ReplyMessage) => this.onReply(m));
          worker.on('error', (err) => this.onDeath(worker, err));
          worker.on('exit', (code) => this.onDeath(worker, new Error(`inference worker exited with code ${code}`)));
          worker.unref();
          resolve();
          return;
        }
        const where = msg.dir ?? dirs.join(', ');
        const err = new ConfigError(
          `Model directory ${where}: expected a loadable model (${options.dtype} ONNX weights, tokenizer, config), got an error: ${msg.message}`,
          { code: 'MODEL_INVALID' },
        );
        // The worker ends by itself after init_error; wait for it, so that a retry never overlaps.
        void stopWorker(worker, false).then(() => reject(err));
      };
      const onError = (err: unknown) => {
        cleanup();
        const e = new ConfigError(`Models in ${dirs.join(', ')}: the inference worker failed while loading`, { code: 'MODEL_INVALID', cause: err });
        void stopWorker(worker, false).then(() => reject(e));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new ConfigError(`Models in ${dirs.join(', ')}: the inference worker exited with code ${code} while loading`, { code: 'MODEL_INVALID' }));
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
  }

  private onReply(msg: ReplyMessage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg);
  }

  private onDeath(worker: Worker, err: unknown): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (!this.closed) this.options.logger.warn({ err }, 'Inference worker stopped; the next batch starts a new one.');
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new PipelineError('The inference worker stopped during a call.', { code: 'MODEL_WORKER_DIED', retriable: true, cause: err }));
    }
  }

  classify(texts: string[]): Promise<Matrix> {
    return this.request({ op: 'classify', texts });
  }

  embed(texts: string[], pooling: Pooling): Promise<Matrix> {
    return this.request({ op: 'embed', texts, pooling });
  }

  private request(body: { op: 'classify' | 'embed'; texts: string[]; pooling?: Pooling }): Promise<Matrix> {
    const run = async (): Promise<Matrix> => {
      if (this.closed) throw new PipelineError('The model stage is closed.', { code: 'MODEL_CLOSED' });
      if (body.texts.length === 0) return { data: new Float32Array(0), rows: 0, cols: 0 };
      if (!this.worker) {
        await this.stopping;
        await this.spawn();
      }
      const worker = this.worker;
      if (!worker) throw new PipelineError('The inference worker is not running.', { code: 'MODEL_WORKER_DIED', retriable: true });
      const id = this.nextId++;
      worker.ref();
      try {
        const reply = await new Promise<ReplyMessage>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.pending.delete(id);
            reject(
              new PipelineError(`Inference took longer than ${this.options.inferenceTimeoutMs} ms.`, {
                code: 'MODEL_TIMEOUT',
                retriable: true,
              }),
            );
            // A stuck ONNX call cannot be cancelled: drop the worker; the next call starts another.
            this.worker = null;
            this.stopping = worker.terminate().then(
              () => undefined,
              () => undefined,
            );
          }, this.options.inferenceTimeoutMs);
          this.pending.set(id, {
            resolve: (m) => {
              clearTimeout(timer);
              resolve(m);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
          worker.postMessage({ id, ...body });
        });
        if (!reply.ok || !reply.data || reply.rows === undefined || reply.cols === undefined) {
          throw new PipelineError(`Inference failed: ${reply.message ?? 'no result'}`, { code: 'MODEL_INFERENCE_FAILED', retriable: false });
        }
        if (reply.rows !== body.texts.length) {
          throw new PipelineError(`Inference returned ${reply.rows} rows for ${body.texts.length} texts.`, { code: 'MODEL_INFERENCE_FAILED' });
        }
        return { data: reply.data, rows: reply.rows, cols: reply.cols };
      } finally {
        if (this.worker === worker && this.pending.size === 0) worker.unref();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new PipelineError('The model stage is closed.', { code: 'MODEL_CLOSED' }));
    }
    if (worker) await stopWorker(worker, true);
  }
}

