/**
 * One NLP worker thread (see worker-pool.ts): builds the stage once, then turns batches of
 * FeedbackEvents into per-event outcomes. Messages are plain objects (structured clone).
 *   → workerData { options: NlpStageOptions (cloneable fields only) }
 *   ← { type: 'ready' } | { type: 'init_error', message }
 *   → { type: 'batch', id, events }
 *   ← { type: 'result', id, outcomes: ({ ok: true, out } | { ok: false, message, code })[] }
 *   → { type: 'close' }: the thread ends once its port closes
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedbackEvent } from '../core/feedback-event.js';
import { createNlpStage, type NlpStageOptions } from './stage.js';
import type { WorkerOutcome } from './worker-pool.js';

interface BatchMessage {
  type: 'batch';
  id: number;
  events: FeedbackEvent[];
}

const port = parentPort;
if (!port) throw new Error('worker-pool-thread.ts runs only as a worker thread.');
const { options } = workerData as { options: NlpStageOptions };

try {
  const stage = await createNlpStage(options);
  port.on('message', (msg: BatchMessage | { type: 'close' }) => {
    if (msg.type === 'close') {
      port.close();
      return;
    }
    const outcomes: WorkerOutcome[] = msg.events.map((event) => {
      try {
        return { ok: true, out: stage.process(event) };
      } catch (err) {
        const e = err as { message?: unknown; code?: unknown };
        return { ok: false, message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : 'STAGE_FAILED' };
      }
    });
    port.postMessage({ type: 'result', id: msg.id, outcomes });
  });
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'init_error', message: (err as Error).message });
}
