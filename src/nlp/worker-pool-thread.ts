/**
 * One NLP worker thread (see worker-pool.ts): builds the stage once, then turns batches of texts
 * into per-event outcomes, sent back encoded (worker-pool-codec.ts).
 *   → workerData { options: NlpStageOptions (cloneable fields only) }
 *   ← { type: 'ready', codeFrame } | { type: 'init_error', message }
 *   → { type: 'batch', id, ids, texts }
 *   ← { type: 'result', id, batch: EncodedBatch } (its Float64Array transferred)
 *     | { type: 'result', id, outcomes } (structured clone, when the codec cannot carry a result)
 *   → { type: 'close' }: the thread ends once its port closes
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedbackEvent } from '../core/feedback-event.js';
import { createNlpStage, type NlpStageOptions } from './stage.js';
import { BatchEncoder, type ThreadOutcome } from './worker-pool-codec.js';

interface BatchMessage {
  type: 'batch';
  id: number;
  ids: string[];
  texts: string[];
}

const port = parentPort;
if (!port) throw new Error('worker-pool-thread.ts runs only as a worker thread.');
const { options } = workerData as { options: NlpStageOptions };

try {
  const stage = await createNlpStage(options);
  const encoder = new BatchEncoder(stage.codeFrame);
  port.on('message', (msg: BatchMessage | { type: 'close' }) => {
    if (msg.type === 'close') {
      port.close();
      return;
    }
    const outcomes: ThreadOutcome[] = [];
    for (let i = 0; i < msg.texts.length; i++) {
      try {
        // The stage reads the text (and the id, for its error): the envelope stays on the main thread.
        outcomes.push({ ok: true, out: stage.process({ id: msg.ids[i], text: msg.texts[i] } as FeedbackEvent) });
      } catch (err) {
        const e = err as { message?: unknown; code?: unknown };
        outcomes.push({ ok: false, message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : 'STAGE_FAILED' });
      }
    }
    const batch = encoder.encode(outcomes);
    if (batch === null) port.postMessage({ type: 'result', id: msg.id, outcomes });
    else port.postMessage({ type: 'result', id: msg.id, batch }, [batch.n.buffer as ArrayBuffer]);
  });
  port.postMessage({ type: 'ready', codeFrame: stage.codeFrame });
} catch (err) {
  port.postMessage({ type: 'init_error', message: (err as Error).message });
}
