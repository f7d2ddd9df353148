/**
 * `npm run bench [-- --quick] [--only nlp,peer,replay,kafka,http] [--seed N]`
 *
 * Measures voc-stream and a Python peer on the same synthetic corpus (scripts/gen-corpus.ts) and
 * prints a table; writes the figures as JSON to bench/results/ (full runs: full-<stamp>.json and
 * full-latest.json, committed; quick runs: quick-latest.json). Asserts nothing: these are
 * measurements, and docs/performance.md reads them.
 *
 *   1. NLP stage alone: docs/s and MB/s on one core, and on 1 and 2 worker threads;
 *      peer: the same scope in Python (jieba + OpenCC), ratio voc/peer.
 *   2. Embedded replay (file → memory bus → NLP → chDB) through `node bin/voc.js replay`, one
 *      child per size (10^4, 10^5, and 10^6 unless --quick): docs/s and peak RSS;
 *      peer: file → JSON → analysis → coded JSONL, ratio voc/peer.
 *   3. Kafka → NLP → ClickHouse on the real services (needs VOC_KAFKA_BROKERS, VOC_CLICKHOUSE_URL:
 *      `eval "$(scripts/services.sh env)"`), 1 and 2 consumer processes.
 *   4. HTTP ingest on loopback (bench/http-ingest.ts, when present).
 * `--quick` finishes in under 5 minutes on a 2-core machine.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_VERSION } from '../scripts/gen-corpus.js';
import { CACHE, ensureCorpus, fmt, lastJson, load1, machine, REPO, RESULTS, runChild, TSX } from './lib/common.js';
import { benchKafkaClickHouse, type KafkaResult } from './kafka-clickhouse.js';
import { formatFigures, runModelBench, type BenchFigure } from './model-stage.js';
import { benchReplayEmbedded, type ReplayFigure } from './replay-embedded.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only'))?.split('=')[1] ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const only = new Set((onlyArg ?? 'nlp,peer,replay,kafka,http,model').split(','));
const seedArg = argv.includes('--seed') ? Number(argv[argv.indexOf('--seed') + 1]) : 42;
const seed = Number.isInteger(seedArg) ? seedArg : 42;

const SIZES = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const NLP_DOCS = quick ? 30_000 : 100_000;
const PEER_STAGE_DOCS = quick ? 5_000 : 20_000;
const PEER_E2E_RECORDS = quick ? 10_000 : 100_000;
const KAFKA_BURST = quick ? 10_000 : 50_000;
const TARGETS = { nlpDocsPerSec: 30_000, nlpVsPeer: 10, replayDocsPerSec: 15_000, replayPeakRssMB: 1024, kafkaDocsPerSec: 10_000, kafkaP99Ms: 2000 };

const started = new Date();
const t0 = performance.now();
const log = (s: string): void => void process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);

interface NlpResult {
  inProcess: { docs: number; docsPerSec: number; mbPerSec: number; meanChars: number; cpuSeconds: number; docsPerCpuSec: number; seconds: number; hitsPerDoc: number; rssBeforeMB: number; rssAfterMB: number };
  pools: { workers: number; docsPerSec: number; mbPerSec: number; docsPerCpuSec: number; failed: number }[];
}
interface PeerStage {
  docs: number;
  docsPerSec: number;
  mbPerSec: number;
  docsPerCpuSec: number;
}
interface PeerE2E {
  docs: number;
  docsPerSec: number;
  seconds: number;
  docsPerCpuSec: number;
}

const results: {
  date: string;
  quick: boolean;
  machine: ReturnType<typeof machine>;
  load1: { start: number; end?: number };
  corpus: { seed: number; generatorVersion: number };
  nlp?: (NlpResult & { load1: number }) | { error: string };
  peer?: { stage?: PeerStage | { error: string }; e2e?: PeerE2E | { error: string }; python?: string; packages?: string };
  replay?: ReplayFigure[];
  kafka?: KafkaResult;
  http?: unknown;
  /** The optional model stage (tiny random-weight models): events/s next to lexicon-only. */
  model?: BenchFigure[] | { error: string };
  /** voc-stream / peer, on wall-clock rates and on rates per CPU-second (the machine is shared). */
  ratios?: { nlpStage?: number; replay?: number; nlpStagePerCpu?: number; replayPerCpu?: number };
  targets: typeof TARGETS;
  seconds?: number;
} = {
  date: started.toISOString(),
  quick,
  machine: machine(),
  load1: { start: load1() },
  corpus: { seed, generatorVersion: GENERATOR_VERSION },
  targets: TARGETS,
};

log(`voc-stream bench${quick ? ' (quick)' : ''}: ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, ${results.machine.cpu}, node ${results.machine.node}, load ${results.load1.start}`);

// ── Corpus ───────────────────────────────────────────────────────────────────────────────────
log('corpus…');
for (const n of SIZES) await ensureCorpus(seed, n);
const corpus1e5 = await ensureCorpus(seed, 100_000);
const corpus1e4 = await ensureCorpus(seed, 10_000);

// ── Peer setup ───────────────────────────────────────────────────────────────────────────────
const VENV = join(REPO, 'bench', '.venv');
const PY = join(VENV, 'bin', 'python');
async function ensurePeer(): Promise<string | undefined> {
  if (!existsSync(PY)) {
    log('peer: creating bench/.venv…');
    const r = await runChild('python3', ['-m', 'venv', VENV]);
    if (r.code !== 0) return `python3 -m venv failed: ${r.stderr.trim().slice(-300)}`;
  }
  const probe = await runChild(PY, ['-c', 'import jieba, opencc, yaml']);
  if (probe.code !== 0) {
    log('peer: pip install -r bench/peer/requirements.txt…');
    const r = await runChild(PY, ['-m', 'pip', 'install', '-q', '-r', join(REPO, 'bench', 'peer', 'requirements.txt')], { timeoutMs: 600_000 });
    if (r.code !== 0) return `pip install failed: ${r.stderr.trim().slice(-300)}`;
  }
  return undefined;
}
const CODEFRAME = join(REPO, 'config', 'codeframe.yaml');
async function runPeer<T extends PeerStage | PeerE2E>(mode: 'stage' | 'e2e', corpus: string, limit: number): Promise<T | { error: string }> {
  const args = [join(REPO, 'bench', 'peer', 'peer.py'), '--mode', mode, '--corpus', corpus, '--codeframe', CODEFRAME, '--limit', String(limit)];
  if (mode === 'e2e') args.push('--out', join(CACHE, 'peer-e2e-out.jsonl'));
  const r = await runChild(PY, args, { timeoutMs: 900_000 });
  const j = lastJson<T>(r.stdout);
  return j ?? { error: `exit ${r.code}: ${r.stderr.trim().slice(-300)}` };
}

if (only.has('peer')) {
  const err = await ensurePeer();
  results.peer = {};
  if (err) {
    results.peer.stage = { error: err };
    results.peer.e2e = { error: err };
  } else {
    const v = await runChild(PY, ['-c', 'import sys, jieba, opencc, yaml; print(sys.version.split()[0], "jieba", jieba.__version__, "opencc", getattr(opencc, "__version__", "?"), "pyyaml", yaml.__version__)']);
    results.peer.python = v.stdout.trim();
    log(`peer stage (${PEER_STAGE_DOCS} docs)…`);
    results.peer.stage = await runPeer<PeerStage>('stage', corpus1e5.path, PEER_STAGE_DOCS);
    log(`peer end to end (${PEER_E2E_RECORDS} records)…`);
    results.peer.e2e = await runPeer<PeerE2E>('e2e', PEER_E2E_RECORDS <= 10_000 ? corpus1e4.path : corpus1e5.path, PEER_E2E_RECORDS);
  }
}

// ── 1. NLP stage alone ───────────────────────────────────────────────────────────────────────
if (only.has('nlp')) {
  log(`nlp stage alone (${NLP_DOCS} docs; in-process, then 1 and 2 worker threads)…`);
  const load = load1();
  const r = await runChild(TSX, [join(REPO, 'bench', 'nlp-workers.ts'), '--corpus', corpus1e5.path, '--docs', String(NLP_DOCS), '--workers', '1,2'], { timeoutMs: 600_000, echo: /^nlp / });
  const j = lastJson<NlpResult>(r.stdout);
  results.nlp = j ? { ...j, load1: load } : { error: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-5).join(' | ').slice(0, 600)}` };
}

/** dist/cli/main.js is newer than every file under src/ (so `npm run build` would change nothing). */
function distIsFresh(): boolean {
  const main = join(REPO, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) return false;
  const built = statSync(main).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? newest(join(dir, d.name)) : statSync(join(dir, d.name)).mtimeMs)));
  return newest(join(REPO, 'src')) < built;
}

// ── 2. Embedded replay ───────────────────────────────────────────────────────────────────────
if (only.has('replay')) {
  if (distIsFresh()) log('dist/ is newer than src/: no build needed');
  else {
    log('build (npm run build) for bin/voc.js…');
    const b = await runChild('npm', ['run', '--silent', 'build'], { timeoutMs: 300_000 });
    if (b.code !== 0) log(`  build exited ${b.code} (type errors elsewhere in the tree?); dist/ was still emitted: ${(b.stdout + b.stderr).trim().split('\n').slice(0, 3).join(' | ')}`);
  }
  // Quick mode keeps to its time budget: a replay still running after 150 s is stopped and reported as such.
  try {
    results.replay = await benchReplayEmbedded(seed, SIZES, log, quick ? 150 : Number(process.env.BENCH_REPLAY_CAP_SECONDS ?? 3600));
  } catch (err) {
    log(`  replay failed: ${(err as Error).message}`);
    results.replay = [];
  }
}

// ── 3. Kafka → ClickHouse ────────────────────────────────────────────────────────────────────
if (only.has('kafka')) {
  log('kafka → nlp → clickhouse…');
  results.kafka = await benchKafkaClickHouse({
    seed,
    consumerCounts: [1, 2],
    burstEvents: KAFKA_BURST,
    // 70% of the measured drain rate (a rate the consumers can hold), then (full run) the target rate.
    steady: quick ? [{ rate: 0.7, seconds: 5 }] : [{ rate: 0.7, seconds: 20 }, { rate: TARGETS.kafkaDocsPerSec, seconds: 5 }],
    log,
  }).catch((err: unknown): KafkaResult => ({ figures: [], error: (err as Error).message }));
  if (results.kafka.skipped) log(`  skipped: ${results.kafka.skipped}`);
  if (results.kafka.error) log(`  error: ${results.kafka.error}`);
}

// ── 4. HTTP ingest ───────────────────────────────────────────────────────────────────────────
if (only.has('http')) {
  const script = join(REPO, 'bench', 'http-ingest.ts');
  if (!existsSync(script)) {
    results.http = { skipped: 'bench/http-ingest.ts not present' };
  } else {
    log('http ingest on loopback…');
    const args = quick ? ['--records', '10000', '--seconds', '30'] : ['--records', '50000', '--seconds', '120'];
    const r = await runChild(TSX, [script, ...args], { timeoutMs: 600_000, env: { ...process.env, VOC_LOG_LEVEL: 'warn' } });
    results.http = lastJson(r.stdout) ?? { error: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`, stdout: r.stdout.slice(-2000) };
  }
}

// ── 5. Model stage (issue 9): lexicon-only vs with the model stage on the tiny models ──────────
if (only.has('model')) {
  log('model stage (tiny models from ../shared/models; lexicon-only alongside)…');
  try {
    results.model = await runModelBench({ rows: quick ? 1000 : 3223 });
  } catch (err) {
    results.model = { error: (err as Error).message };
    log(`  model stage failed: ${(err as Error).message}`);
  }
}

// ── Ratios, table, files ─────────────────────────────────────────────────────────────────────
const num = (o: unknown, k: string): number | undefined => (o && typeof o === 'object' && k in o ? ((o as Record<string, number>)[k] ?? undefined) : undefined);
const nlpDps = results.nlp && 'inProcess' in results.nlp ? results.nlp.inProcess.docsPerSec : undefined;
const peerStageDps = num(results.peer?.stage, 'docsPerSec');
const peerE2eDps = num(results.peer?.e2e, 'docsPerSec');
const replayAt = (n: number): ReplayFigure | undefined => results.replay?.find((r) => r.records === n);
const replayForRatio = replayAt(PEER_E2E_RECORDS);
const nlpCpu = results.nlp && 'inProcess' in results.nlp ? results.nlp.inProcess.docsPerCpuSec : undefined;
const peerStageCpu = num(results.peer?.stage, 'docsPerCpuSec');
const peerE2eCpu = num(results.peer?.e2e, 'docsPerCpuSec');
results.ratios = {
  nlpStage: nlpDps && peerStageDps ? nlpDps / peerStageDps : undefined,
  replay: replayForRatio?.docsPerSec && peerE2eDps ? replayForRatio.docsPerSec / peerE2eDps : undefined,
  nlpStagePerCpu: nlpCpu && peerStageCpu ? nlpCpu / peerStageCpu : undefined,
  replayPerCpu: replayForRatio?.docsPerCpuSec && peerE2eCpu ? replayForRatio.docsPerCpuSec / peerE2eCpu : undefined,
};
results.load1.end = load1();
results.seconds = (performance.now() - t0) / 1000;

const rows: [string, string, string, string, string][] = [];
const row = (what: string, voc: string, peer = '', ratio = '', target = ''): void => void rows.push([what, voc, peer, ratio, target]);
const met = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');
if (results.nlp && 'inProcess' in results.nlp) {
  const n = results.nlp;
  row('1. NLP stage, 1 core (docs/s)', fmt(n.inProcess.docsPerSec), fmt(peerStageDps), results.ratios.nlpStage ? `${fmt(results.ratios.nlpStage, 1)}×` : '', `≥ 30,000${met(n.inProcess.docsPerSec >= TARGETS.nlpDocsPerSec)}; ≥ 10× peer${met(results.ratios.nlpStage === undefined ? undefined : results.ratios.nlpStage >= TARGETS.nlpVsPeer)}`);
  row('   NLP stage, 1 core (MB/s)', fmt(n.inProcess.mbPerSec, 2), fmt(num(results.peer?.stage, 'mbPerSec'), 2));
  row('   NLP stage, per CPU-second (docs)', fmt(n.inProcess.docsPerCpuSec), fmt(peerStageCpu), results.ratios.nlpStagePerCpu ? `${fmt(results.ratios.nlpStagePerCpu, 1)}×` : '');
  for (const p of n.pools) row(`   NLP stage, ${p.workers} worker thread${p.workers > 1 ? 's' : ''} (docs/s; per CPU-s)`, `${fmt(p.docsPerSec)}; ${fmt(p.docsPerCpuSec)}`);
} else if (results.nlp) row('1. NLP stage', `error: ${(results.nlp as { error: string }).error.slice(0, 80)}`, fmt(peerStageDps));
else if (peerStageDps) row('1. NLP stage, 1 core (docs/s)', '—', fmt(peerStageDps));
if (!results.replay && peerE2eDps) row(`2. replay ${fmt(PEER_E2E_RECORDS)} (docs/s)`, '—', fmt(peerE2eDps));
for (const r of results.replay ?? []) {
  const peer = r.records === PEER_E2E_RECORDS ? fmt(peerE2eDps) : '';
  const ratio = r.records === PEER_E2E_RECORDS && results.ratios.replay ? `${fmt(results.ratios.replay, 1)}×` : '';
  if (r.error) row(`2. replay ${fmt(r.records)} (docs/s)`, `error: ${r.error.slice(0, 60)}`);
  else {
    row(`2. replay ${fmt(r.records)} (docs/s; wall)`, `${fmt(r.docsPerSec)}; ${fmt(r.wallDocsPerSec)}`, peer, ratio, `≥ 15,000${met((r.docsPerSec ?? 0) >= TARGETS.replayDocsPerSec)}`);
    row(`   replay ${fmt(r.records)} per CPU-second (docs)`, fmt(r.docsPerCpuSec), r.records === PEER_E2E_RECORDS ? fmt(peerE2eCpu) : '', r.records === PEER_E2E_RECORDS && results.ratios.replayPerCpu ? `${fmt(results.ratios.replayPerCpu, 1)}×` : '');
    row(`   replay ${fmt(r.records)} peak RSS (MB)`, fmt(r.peakRssMB), '', '', r.records === 1_000_000 ? `< 1,024${met((r.peakRssMB ?? Infinity) < TARGETS.replayPeakRssMB)}` : '');
  }
}
if (results.kafka?.skipped) row('3. Kafka → ClickHouse', `skipped: ${results.kafka.skipped}`);
else if (results.kafka) {
  if (results.kafka.error) row('3. Kafka → ClickHouse', `error: ${results.kafka.error.slice(0, 80)}`);
  for (const f of results.kafka.figures) {
    row(`3. Kafka→CH, ${f.consumers} consumer(s), drain (docs/s)`, fmt(f.burst.docsPerSec), '', '', `≥ 10,000${met(f.burst.docsPerSec >= TARGETS.kafkaDocsPerSec)}`);
    // Kept up: p99 under the bound (a backlog would grow the latency of every later event).
    for (const s of f.steady) row(`   held ${fmt(s.targetPerSec)}/s for ${fmt(s.seconds, 0)} s: p50; p99 (ms)`, `${fmt(s.p50Ms)}; ${fmt(s.p99Ms)}`, '', '', `p99 < 2,000${met(s.p99Ms < TARGETS.kafkaP99Ms)}`);
  }
}
if (results.http) {
  const h = results.http as Record<string, unknown>;
  if ('skipped' in h) row('4. HTTP ingest', `skipped: ${String(h.skipped)}`);
  else if ('error' in h) row('4. HTTP ingest', `error: ${String(h.error).slice(0, 80)}`);
  else {
    const rps = num(h, 'recordsPerSec') ?? num(h, 'recordsPerSecond');
    const p99 = num(h, 'p99Ms') ?? num(h, 'latencyP99Ms');
    row('4. HTTP ingest (records/s; p99 ms)', `${fmt(rps)}; ${fmt(p99, 1)}`);
    const e2e = num(h, 'endToEndRecordsPerSec');
    if (e2e !== undefined) row('   HTTP → store (records/s)', fmt(e2e));
  }
}

const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['', 'voc-stream', 'peer (Python)', 'voc/peer', 'target'][i]!, ...rows.map((r) => r[i]!)].map((s) => [...s].length)));
const line = (cells: string[]): string => cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ');
process.stdout.write(`\n${line(['', 'voc-stream', 'peer (Python)', 'voc/peer', 'target'])}\n${line(widths.map((w) => '─'.repeat(w)))}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.stdout.write(
  `\n${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, ${results.machine.cpu}; load ${results.load1.start} → ${results.load1.end}; ${fmt(results.seconds, 0)} s in all\n`,
);

mkdirSync(RESULTS, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
if (quick) {
  writeFileSync(join(RESULTS, 'quick-latest.json'), json);
  process.stdout.write(`JSON: bench/results/quick-latest.json\n`);
} else {
  const stamp = started.toISOString().slice(0, 16).replace(/[-:]/g, '');
  writeFileSync(join(RESULTS, `full-${stamp}.json`), json);
  writeFileSync(join(RESULTS, 'full-latest.json'), json);
  process.stdout.write(`JSON: bench/results/full-${stamp}.json (and full-latest.json)\n`);
}
if (Array.isArray(results.model)) process.stdout.write(`\nModel stage (tiny random-weight models; figures of the wiring, not of a real model):\n${formatFigures(results.model)}\n`);
else if (results.model) process.stdout.write(`\nModel stage: ${results.model.error}\n`);
process.stdout.write(`${JSON.stringify({ ratios: results.ratios, seconds: results.seconds })}\n`);
