/**
 * Stage 2 of the benchmark: embedded replay end to end (JSONL file → connector → in-memory bus →
 * NLP → chDB), through the real CLI (`node bin/voc.js replay`, built by `npm run build`), one child
 * process per corpus size so that its peak RSS (GNU time's max resident set) is its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCorpus, load1, REPO, runChild } from './lib/common.js';

export interface ReplayFigure {
  records: number;
  corpusMB: number;
  /** processed / the replay's own seconds (after start-up), as `voc replay` prints it. */
  docsPerSec: number | null;
  /** records / wall seconds of the whole command, start-up and shut-down included. */
  wallDocsPerSec: number;
  replaySeconds: number | null;
  wallSeconds: number;
  peakRssMB: number | null;
  /** User + system CPU seconds of the whole command (every thread, chDB's included). */
  cpuSeconds: number | null;
  /** records / CPU seconds: the rate on an unshared machine, if CPU were the only bound. */
  docsPerCpuSec: number | null;
  processed: number | null;
  deadLettered: number | null;
  written: number | null;
  balanced: boolean;
  load1: number;
  /** Set when the run was stopped at the time cap (quick mode keeps to its time budget). */
  cappedAtSeconds?: number;
  error?: string;
}

/** The embedded defaults, whatever the caller's environment names (a Kafka broker would switch the bus). */
export function embeddedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOC_')));
  env.VOC_BUS = 'memory';
  env.VOC_STORE = 'chdb';
  env.VOC_LOG_LEVEL = 'warn';
  // A fixed key: no key file is generated in the temporary store, and pseudonyms are stable.
  env.VOC_PSEUDONYM_KEY = 'bench-only-pseudonym-key-0123456789abcdef';
  return env;
}

export async function benchReplayOnce(seed: number, records: number, batchSize?: number, capSeconds = 1800): Promise<ReplayFigure> {
  const corpus = await ensureCorpus(seed, records);
  const store = mkdtempSync(join(tmpdir(), 'voc-bench-store-'));
  const load = load1();
  try {
    const args = [join(REPO, 'bin', 'voc.js'), 'replay', '--store', store, '--no-progress', corpus.path];
    if (batchSize) args.splice(2, 0, '--batch-size', String(batchSize));
    const r = await runChild(process.execPath, args, { env: embeddedEnv(), measureRss: true, timeoutMs: capSeconds * 1000 });
    const m = /processed=(\d+) .*dead_lettered=(\d+) written=(\d+).*\((balanced|NOT BALANCED)[^)]*\) in ([\d.]+)s, (\d+) docs\/s/.exec(r.stdout);
    const fig: ReplayFigure = {
      records,
      corpusMB: Math.round((corpus.bytes / 1e6) * 10) / 10,
      docsPerSec: m ? Number(m[6]) : null,
      wallDocsPerSec: records / r.seconds,
      replaySeconds: m ? Number(m[5]) : null,
      wallSeconds: r.seconds,
      peakRssMB: r.peakRssMB ?? null,
      cpuSeconds: r.cpuSeconds ?? null,
      docsPerCpuSec: r.cpuSeconds ? records / r.cpuSeconds : null,
      processed: m ? Number(m[1]) : null,
      deadLettered: m ? Number(m[2]) : null,
      written: m ? Number(m[3]) : null,
      balanced: m?.[4] === 'balanced',
      load1: load,
    };
    if (!m && r.seconds >= capSeconds - 1) {
      fig.error = `did not finish within the ${capSeconds} s cap: under ${Math.round(records / capSeconds)} docs/s`;
      fig.cappedAtSeconds = capSeconds;
    } else if (!m || r.code !== 0) fig.error = `exit ${r.code}: ${(r.stderr.trim().split('\n').slice(-3).join(' | ') || r.stdout.trim()).slice(0, 400)}`;
    return fig;
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

export async function benchReplayEmbedded(seed: number, sizes: number[], log: (s: string) => void = () => undefined, capSeconds = 1800): Promise<ReplayFigure[]> {
  const out: ReplayFigure[] = [];
  for (const n of sizes) {
    log(`  replay ${n.toLocaleString('en-US')} records…`);
    const f = await benchReplayOnce(seed, n, undefined, capSeconds);
    log(`    ${f.error ?? `${f.docsPerSec} docs/s, peak RSS ${f.peakRssMB} MB`}`);
    out.push(f);
  }
  return out;
}

if (process.argv[1]?.endsWith('replay-embedded.ts')) {
  const sizes = (process.argv[2] ?? '10000').split(',').map(Number);
  const figs = await benchReplayEmbedded(42, sizes, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${JSON.stringify(figs)}\n`);
}
