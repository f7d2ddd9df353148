/**
 * The inference worker, as source text run with `new Worker(code, { eval: true })`.
 *
 * Why a string and not a worker.ts file: the package runs from dist/ (compiled) and from src/
 * (vitest, tsx), and on Node 20 a worker thread does not inherit tsx's module hooks, so a .ts
 * worker file cannot start under the tests. The worker is deliberately small: it loads the
 * pipelines and turns texts into numbers; every decision (what to ask, how to read the answer)
 * stays in typed code on the main thread. It imports transformers.js from the URL the main
 * thread resolved, so resolution is the same as the caller's.
 *
 * Protocol (all messages are plain objects; Float32Arrays are transferred):
 *   → workerData { transformersUrl, dtype, threads, models: { sentiment?, embedding? } }
 *   ← { type: 'ready', models: { sentiment?: { labels, problemType, maxTokens }, embedding?: { maxTokens } } }
 *   ← { type: 'init_error', model, dir, message }
 *   → { id, op: 'classify' | 'embed', texts, pooling? }
 *   → { op: 'close' }: dispose the sessions and let the thread end
 *   ← { id, ok: true, data: Float32Array, rows, cols } | { id, ok: false, message }
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');

const pipes = {};
const limits = {};

function softmaxRows(data, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) { const e = Math.exp(data[r * cols + c] - max); out[r * cols + c] = e; sum += e; }
    for (let c = 0; c < cols; c++) out[r * cols + c] /= sum;
  }
  return out;
}

function sigmoidRows(data) {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = 1 / (1 + Math.exp(-data[i]));
  return out;
}

function tokenize(p, texts, maxTokens) {
  return p.tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens });
}

async function classify(texts) {
  const p = pipes.sentiment;
  const inputs = tokenize(p, texts, limits.sentiment);
  const out = await p.model(inputs);
  const logits = out.logits;
  const [rows, cols] = logits.dims;
  const raw = Float32Array.from(logits.data);
  const data = p.model.config.problem_type === 'multi_label_classification' ? sigmoidRows(raw) : softmaxRows(raw, rows, cols);
  return { data, rows, cols };
}

async function embed(texts, pooling) {
  const p = pipes.embedding;
  const inputs = tokenize(p, texts, limits.embedding);
  const out = await p.model(inputs);
  const hidden = out.last_hidden_state || out.token_embeddings || out.logits;
  if (!hidden) throw new Error('the model returned no last_hidden_state (outputs: ' + Object.keys(out).join(', ') + ')');
  const [rows, seq, cols] = hidden.dims;
  const h = hidden.data;
  const mask = inputs.attention_mask.data;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    if (pooling === 'cls') {
      for (let c = 0; c < cols; c++) data[r * cols + c] = h[r * seq * cols + c];
    } else {
      let n = 0;
      for (let t = 0; t < seq; t++) {
        if (Number(mask[r * seq + t]) === 0) continue;
        n++;
        for (let c = 0; c < cols; c++) data[r * cols + c] += h[(r * seq + t) * cols + c];
      }
      if (n > 0) for (let c = 0; c < cols; c++) data[r * cols + c] /= n;
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += data[r * cols + c] * data[r * cols + c];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < cols; c++) data[r * cols + c] /= norm;
  }
  return { data, rows, cols };
}

async function disposeAll() {
  for (const name of Object.keys(pipes)) {
    try { await pipes[name].dispose(); } catch (_) { /* exiting anyway */ }
    delete pipes[name];
  }
}

// Exit by letting the thread run out of work, never by being terminated mid-call: ONNX Runtime's
// native objects do not survive Worker.terminate() reliably (microsoft/onnxruntime#24486).
async function shutdown() {
  await disposeAll();
  parentPort.close();
}

const TASKS = { sentiment: 'text-classification', embedding: 'feature-extraction' };

(async () => {
  let current = null;
  try {
    const mod = await import(workerData.transformersUrl);
    const tf = mod.env ? mod : mod.default;
    // Offline by construction: local files only, no cache writes under node_modules, and no
    // library logging (its error path prints model inputs); failures come back as messages.
    tf.env.allowRemoteModels = false;
    tf.env.allowLocalModels = true;
    tf.env.useFSCache = false;
    tf.env.logLevel = 50;
    const ready = {};
    for (const name of ['sentiment', 'embedding']) {
      const m = workerData.models[name];
      if (!m) continue;
      current = m;
      tf.env.localModelPath = m.localModelPath.endsWith(path.sep) ? m.localModelPath : m.localModelPath + path.sep;
      const p = await tf.pipeline(TASKS[name], m.modelId, {
        dtype: workerData.dtype,
        local_files_only: true,
        session_options: { intraOpNumThreads: workerData.threads, interOpNumThreads: 1 },
      });
      pipes[name] = p;
      const cfg = p.model.config || {};
      const maxPos = Number(cfg.max_position_embeddings) || m.maxTokens;
      limits[name] = Math.min(m.maxTokens, maxPos);
      if (name === 'sentiment') {
        const id2label = cfg.id2label || {};
        const n = Object.keys(id2label).length;
        const labels = [];
        for (let i = 0; i < n; i++) labels.push(String(id2label[i] ?? id2label[String(i)] ?? 'LABEL_' + i));
        // Smoke run: a model that loads but cannot infer (wrong graph, wrong task) fails here, at start.
        const probe = await classify(['好']);
        ready.sentiment = { labels: labels.length === probe.cols ? labels : Array.from({ length: probe.cols }, (_, i) => labels[i] || 'LABEL_' + i), problemType: cfg.problem_type || null, maxTokens: limits[name] };
      } else {
        const probe = await embed(['好'], 'mean');
        ready.embedding = { maxTokens: limits[name], dims: probe.cols };
      }
    }
    current = null;
    parentPort.postMessage({ type: 'ready', models: ready });
  } catch (err) {
    await disposeAll();
    parentPort.postMessage({
      type: 'init_error',
      model: current ? current.modelId : null,
      dir: current ? path.join(current.localModelPath, current.modelId) : null,
      message: err && err.message ? String(err.message).split('\n')[0].slice(0, 500) : String(err),
    });
    parentPort.close();
    return;
  }
  parentPort.on('message', async (msg) => {
    if (msg.op === 'close') {
      await shutdown();
      return;
    }
    try {
      const result = msg.op === 'classify' ? await classify(msg.texts) : await embed(msg.texts, msg.pooling);
      parentPort.postMessage({ id: msg.id, ok: true, data: result.data, rows: result.rows, cols: result.cols }, [result.data.buffer]);
    } catch (err) {
      parentPort.postMessage({ id: msg.id, ok: false, message: err && err.message ? String(err.message).split('\n')[0].slice(0, 500) : String(err) });
    }
  });
})();
`;
