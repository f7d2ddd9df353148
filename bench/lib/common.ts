/** Shared helpers of the benchmark scripts: child processes, peak RSS, machine facts, corpus files. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, writeCorpus } from '../../scripts/gen-corpus.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CACHE = join(REPO, 'bench', '.cache');
export const RESULTS = join(REPO, 'bench', 'results');
export const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** 1-minute load average: the machine is shared, so every figure carries the load it ran under. */
/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

export function load1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall seconds. */
  seconds: number;
  /** Peak resident set of the child in MB (from /usr/bin/time), when measured. */
  peakRssMB?: number;
  /** User + system CPU seconds of the child (from /usr/bin/time), when measured. */
  cpuSeconds?: number;
}

export interface RunChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Measure peak RSS with /usr/bin/time (GNU time's %M, the child's max resident set). */
  measureRss?: boolean;
  /** Echo the child's stderr lines that match, for progress. */
  echo?: RegExp;
}

const TIME_MARK = '__bench_time__';

/** Direct children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function runChild(cmd: string, args: string[], o: RunChildOptions = {}): Promise<ChildResult> {
  const useTime = o.measureRss === true && existsSync('/usr/bin/time');
  const [file, argv] = useTime ? ['/usr/bin/time', ['-f', `${TIME_MARK} %M %e %U %S`, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, argv, { cwd: o.cwd ?? REPO, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const s = d.toString();
      stderr += s;
      if (o.echo) for (const line of s.split('\n')) if (o.echo.test(line)) process.stderr.write(`    ${line}\n`);
    });
    // On timeout, kill the measured process itself (under /usr/bin/time, its child): time then still
    // reports the peak RSS, and no orphan is left running.
    const kill = (): void => {
      const pids = useTime && child.pid ? childrenOf(child.pid) : [];
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (pids.length === 0) child.kill('SIGKILL');
    };
    const timer = o.timeoutMs ? setTimeout(kill, o.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      let peakRssMB: number | undefined;
      let cpuSeconds: number | undefined;
      const m = new RegExp(`${TIME_MARK} (\\d+) ([\\d.]+) ([\\d.]+) ([\\d.]+)`).exec(stderr);
      if (m) {
        peakRssMB = Math.round(Number(m[1]) / 1024);
        cpuSeconds = Number(m[3]) + Number(m[4]);
        stderr = stderr.replace(m[0], '');
      }
      resolvePromise({ code, stdout, stderr, seconds, peakRssMB, cpuSeconds });
    });
  });
}

/** The last line of stdout that parses as a JSON object. */
export function lastJson<T>(stdout: string): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const l of lines) {
    if (!l.startsWith('{')) continue;
    try {
      return JSON.parse(l) as T;
    } catch {
      // not this line
    }
  }
  return undefined;
}

/** A corpus file of `count` lines from `seed`, generated once into bench/.cache. */
export async function ensureCorpus(seed: number, count: number): Promise<{ path: string; bytes: number }> {
  const path = join(CACHE, `corpus-v${GENERATOR_VERSION}-s${seed}-n${count}.jsonl`);
  if (!existsSync(path)) {
    const tmp = `${path}.tmp`;
    await writeCorpus(tmp, seed, count);
    const { renameSync } = await import('node:fs');
    renameSync(tmp, path);
  }
  return { path, bytes: statSync(path).size };
}

/** Texts of the first `n` well-formed lines of a corpus file (for the stage-alone figures). */
export function readJsonl<T>(path: string, n: number): T[] {
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (out.length >= n) break;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as T);
    } catch {
      // malformed on purpose
    }
  }
  return out;
}

export function fmt(n: number | undefined | null, digits = 0): string {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
