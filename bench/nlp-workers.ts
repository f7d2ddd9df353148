/**
 * Stage 1 of the benchmark: the NLP stage alone, over FeedbackEvents already parsed in memory.
 *   - in-process, one core: stage.process(event) in a loop, measured three ways:
 *       `inProcess`        the stage as the pipeline runs it: tsc-compiled JavaScript (what
 *                          `voc replay` / `voc serve` load from dist/), tokens off (wiring.ts builds
 *                          it so unless the model stage is on);
 *       `inProcessTokens`  the same with jieba tokens in the output (`voc tag`, the model stage);
 *       `inProcessTsx`     tokens on, the TypeScript sources through tsx (esbuild with keepNames:
 *                          ~25% slower than tsc's output) — how this figure was taken before 2026-11-23 13:30;
 *   - on worker threads (src/nlp/worker-pool.ts, compiled) with 1 and 2 threads, tokens off:
 *     batches of 256, texts to the threads and encoded results back, as a consumer would use it.
 * The compiled stage comes from dist/ when dist/ is newer than src/, else from a tsc build into
 * bench/.cache/nlp-dist (~10 s). Prints one JSON object (last line of stdout). Run by bench/run.ts; alone:
 *   npx tsx bench/nlp-workers.ts --corpus bench/.cache/corpus-….jsonl --docs 50000 --workers 1,2 [--variants pipeline,tokens,tsx]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFeedbackEventLine } from '../src/connectors/feedback-events/parse.js';
import type { FeedbackEvent } from '../src/core/feedback-event.js';
import * as srcStage from '../src/nlp/stage.js';
import type * as PoolModule from '../src/nlp/worker-pool.js';
import { arg, CACHE, REPO } from './lib/common.js';

const corpus = arg('corpus', '');
const docs = Number(arg('docs', '50000'));
const workerCounts = arg('workers', '1,2').split(',').filter(Boolean).map(Number);
const batchSize = Number(arg('batch', '256'));
/** Which in-process measurements: pipeline (compiled, tokens off), tokens (compiled, tokens on), tsx. */
const variants = new Set(arg('variants', 'pipeline,tokens,tsx').split(','));

/** A directory of tsc output for src/ (the layout of dist/), fresh for the current sources. */
function compiledDir(): string {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? newest(join(dir, d.name)) : statSync(join(dir, d.name)).mtimeMs)));
  const srcTime = newest(join(REPO, 'src'));
  for (const dir of [join(REPO, 'dist'), join(CACHE, 'nlp-dist')]) {
    const stage = join(dir, 'nlp', 'stage.js');
    if (existsSync(stage) && statSync(stage).mtimeMs > srcTime && newest(join(dir, 'nlp')) > srcTime) return dir;
  }
  const out = join(CACHE, 'nlp-dist');
  process.stderr.write('nlp: compiling src/ with tsc into bench/.cache/nlp-dist…\n');
  try {
    execFileSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', join(REPO, 'tsconfig.build.json'), '--outDir', out], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in a shared tree still emit JavaScript (noEmitOnError is off).
  }
  return out;
}

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

const dir = compiledDir();
// Explicit paths: a build under bench/.cache would look for config/ relative to itself.
const config = { codeFramePath: join(REPO, 'config', 'codeframe.yaml'), lexiconDir: join(REPO, 'config', 'lexicon') };
const compiled = (await import(pathToFileURL(join(dir, 'nlp', 'stage.js')).href)) as typeof srcStage;
const { NlpWorkerPool } = (await import(pathToFileURL(join(dir, 'nlp', 'worker-pool.js')).href)) as typeof PoolModule;

// ── in-process, one core ─────────────────────────────────────────────────────────────────────
async function inProcess(create: typeof srcStage.createNlpStage, tokens: boolean, label: string): Promise<Record<string, number>> {
  const tLoad = performance.now();
  const stage = await create({ ...config, tokens });
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
  const r = {
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
  process.stderr.write(`nlp in-process (${label}): ${Math.round(r.docsPerSec)} docs/s (${Math.round(r.docsPerCpuSec)} per CPU-second)\n`);
  return r;
}

// In the order given (the first one measured runs while the heap still settles after the corpus load).
const measured: Record<string, Record<string, number>> = {};
for (const v of variants) {
  if (v === 'pipeline') measured[v] = await inProcess(compiled.createNlpStage, false, 'compiled, tokens off = the pipeline');
  else if (v === 'tokens') measured[v] = await inProcess(compiled.createNlpStage, true, 'compiled, tokens on');
  else if (v === 'tsx') measured[v] = await inProcess(srcStage.createNlpStage, true, 'tsx sources, tokens on');
}
const pipeline = measured['pipeline'];
const withTokens = measured['tokens'];
const tsx = measured['tsx'];

// ── worker threads ───────────────────────────────────────────────────────────────────────────
const pools: { workers: number; docs: number; seconds: number; docsPerSec: number; mbPerSec: number; cpuSeconds: number; docsPerCpuSec: number; mainBusy: number; startSeconds: number; failed: number }[] = [];
for (const workers of workerCounts) {
  const ts = performance.now();
  const pool = await NlpWorkerPool.start({ workers, stage: { ...config, tokens: false } });
  const startSeconds = (performance.now() - ts) / 1000;
  try {
    await pool.processAll(events.slice(0, 2000 * workers), batchSize); // warm-up every thread
    const c0 = process.cpuUsage(); // all threads of the process
    const elu0 = performance.eventLoopUtilization(); // the main thread alone
    const t = performance.now();
    const outcomes = await pool.processAll(events, batchSize);
    const s = (performance.now() - t) / 1000;
    const c = process.cpuUsage(c0);
    /** Share of the wall time the main thread was busy (sending texts, decoding results). */
    const mainBusy = performance.eventLoopUtilization(elu0).utilization;
    const cpuSeconds = (c.user + c.system) / 1e6;
    const failed = outcomes.filter((o) => !o.ok).length;
    pools.push({ workers, docs: outcomes.length, seconds: s, docsPerSec: outcomes.length / s, mbPerSec: bytes / 1e6 / s, cpuSeconds, docsPerCpuSec: outcomes.length / cpuSeconds, mainBusy, startSeconds, failed });
    process.stderr.write(`nlp pool ${workers}: ${Math.round(outcomes.length / s)} docs/s (${Math.round(outcomes.length / cpuSeconds)} per CPU-second; main thread busy ${Math.round(100 * mainBusy)}%)\n`);
  } finally {
    await pool.close();
  }
}

process.stdout.write(`${JSON.stringify({ inProcess: pipeline, inProcessTokens: withTokens, inProcessTsx: tsx, pools, batchSize, tokens: false, compiled: dir })}\n`);
