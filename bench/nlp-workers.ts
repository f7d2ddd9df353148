/**
 * Stage 1 of the benchmark: the NLP stage alone, over FeedbackEvents already parsed in memory.
 *   - in-process, one core: stage.process(event) in a loop;
 *   - on worker threads (src/nlp/worker-pool.ts) with 1 and 2 threads: batches of 256 cloned to
 *     the threads and the EnrichedEvents cloned back, as a consumer would use it.
 * Prints one JSON object (last line of stdout). Run by bench/run.ts; alone:
 *   npx tsx bench/nlp-workers.ts --corpus bench/.cache/corpus-….jsonl --docs 50000 --workers 1,2
 */
import { parseFeedbackEventLine } from '../src/connectors/feedback-events/parse.js';
import type { FeedbackEvent } from '../src/core/feedback-event.js';
import { createNlpStage } from '../src/nlp/stage.js';
import { NlpWorkerPool } from '../src/nlp/worker-pool.js';
import { readFileSync } from 'node:fs';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const corpus = arg('corpus', '');
const docs = Number(arg('docs', '50000'));
const workerCounts = arg('workers', '1,2').split(',').filter(Boolean).map(Number);
const batchSize = Number(arg('batch', '256'));
/** --tokens false: the stage without jieba tokens in its output (nothing downstream of `voc tag` reads them). */
const tokens = arg('tokens', 'true') !== 'false';

const events: FeedbackEvent[] = [];
const lines = readFileSync(corpus, 'utf8').split('\n');
for (let i = 0; i < lines.length && events.length < docs; i++) {
  const o = parseFeedbackEventLine(lines[i]!, `bench:${i + 1}`);
  if (o.kind === 'event') events.push(o.event);
}
lines.length = 0;
const bytes = events.reduce((n, e) => n + Buffer.byteLength(e.text), 0);
const chars = events.reduce((n, e) => n + e.text.length, 0);

const rssMB = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

// ── in-process, one core ─────────────────────────────────────────────────────────────────────
const tLoad = performance.now();
const stage = await createNlpStage({ tokens });
const loadSeconds = (performance.now() - tLoad) / 1000;
for (let i = 0; i < Math.min(2000, events.length); i++) stage.process(events[i]!); // JIT warm-up
const rssBefore = rssMB();
let hits = 0;
let redactions = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const e of events) {
  const [out] = stage.process(e);
  if (out) {
    hits += out.nlp.hits.length;
    for (const n of Object.values(out.nlp.redactions)) redactions += n ?? 0;
  }
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const inProcess = {
  docs: events.length,
  bytes,
  meanChars: Math.round(chars / events.length),
  seconds,
  docsPerSec: events.length / seconds,
  mbPerSec: bytes / 1e6 / seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  /** docs per CPU-second of this process: what one core does when the machine is not shared. */
  docsPerCpuSec: events.length / ((cpu.user + cpu.system) / 1e6),
  hitsPerDoc: hits / events.length,
  redactionsPerDoc: redactions / events.length,
  loadSeconds,
  rssBeforeMB: rssBefore,
  rssAfterMB: rssMB(),
};
process.stderr.write(`nlp in-process: ${Math.round(inProcess.docsPerSec)} docs/s (${Math.round(inProcess.docsPerCpuSec)} per CPU-second)\n`);

// ── worker threads ───────────────────────────────────────────────────────────────────────────
const pools: { workers: number; docs: number; seconds: number; docsPerSec: number; mbPerSec: number; cpuSeconds: number; docsPerCpuSec: number; startSeconds: number; failed: number }[] = [];
for (const workers of workerCounts) {
  const ts = performance.now();
  const pool = await NlpWorkerPool.start({ workers, stage: { tokens } });
  const startSeconds = (performance.now() - ts) / 1000;
  try {
    await pool.processAll(events.slice(0, 2000 * workers), batchSize); // warm-up every thread
    const c0 = process.cpuUsage(); // all threads of the process
    const t = performance.now();
    const outcomes = await pool.processAll(events, batchSize);
    const s = (performance.now() - t) / 1000;
    const c = process.cpuUsage(c0);
    const cpuSeconds = (c.user + c.system) / 1e6;
    const failed = outcomes.filter((o) => !o.ok).length;
    pools.push({ workers, docs: outcomes.length, seconds: s, docsPerSec: outcomes.length / s, mbPerSec: bytes / 1e6 / s, cpuSeconds, docsPerCpuSec: outcomes.length / cpuSeconds, startSeconds, failed });
    process.stderr.write(`nlp pool ${workers}: ${Math.round(outcomes.length / s)} docs/s (${Math.round(outcomes.length / cpuSeconds)} per CPU-second)\n`);
  } finally {
    await pool.close();
  }
}

process.stdout.write(`${JSON.stringify({ inProcess, pools, batchSize, tokens })}\n`);
