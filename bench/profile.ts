/**
 * Where the time goes: runs a benchmark target under `node --cpu-prof` and sums the profile's self
 * time by function and by area of the code (normalise, redact, tag, segment, sentiment, zod, JSON,
 * chDB, GC …).
 *
 *   npx tsx bench/profile.ts nlp      [--docs 30000]      # the NLP stage alone, in-process
 *   npx tsx bench/profile.ts replay   [--records 100000]  # node bin/voc.js replay (npm run build first)
 *
 * Prints a table; writes bench/results/profile-<target>.json. The main thread only: chDB's native
 * work shows as the JS frame that called it (or "(program)").
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { arg, ensureCorpus, fmt, REPO, RESULTS, runChild } from './lib/common.js';
import { embeddedEnv } from './replay-embedded.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Areas by file path, first match wins. */
const AREAS: [string, RegExp][] = [
  ['nlp/normalize (OpenCC, width, script)', /(?:src|dist)\/nlp\/normalize\/|opencc-js/],
  ['nlp/redact (PII)', /(?:src|dist)\/nlp\/redact\//],
  ['nlp/tag (matcher, clauses)', /(?:src|dist)\/nlp\/tag\/|(?:src|dist)\/nlp\/codeframe\//],
  ['nlp/segment (jieba)', /(?:src|dist)\/nlp\/segment\/|@node-rs\/jieba/],
  ['nlp/sentiment', /(?:src|dist)\/nlp\/sentiment\//],
  ['nlp/stage (glue)', /(?:src|dist)\/nlp\/stage\.|(?:src|dist)\/nlp\/worker-pool/],
  ['zod validation', /node_modules\/zod\//],
  ['connector (read, parse)', /(?:src|dist)\/connectors\/|(?:src|dist)\/runner\/input-files/],
  ['runner (replay, batch)', /(?:src|dist)\/runner\//],
  ['bus (memory)', /(?:src|dist)\/bus\//],
  ['sink (rows, SQL, chDB)', /(?:src|dist)\/sinks\/|node_modules\/chdb\//],
  ['metrics (prom-client)', /prom-client/],
  ['logging (pino)', /pino/],
  ['node internals (streams, readline, buffers)', /^node:/],
];

function area(cf: CallFrame): string {
  const u = cf.url;
  if (u === '') {
    if (cf.functionName === '(garbage collector)') return 'GC';
    if (cf.functionName === '(program)' || cf.functionName === '(idle)' || cf.functionName === '(root)') return cf.functionName;
    if (/JSON|stringify|parse/.test(cf.functionName)) return 'JSON (native)';
    return 'native / builtins';
  }
  for (const [name, re] of AREAS) if (re.test(u)) return name;
  if (/bench\//.test(u)) return 'bench harness';
  return 'other JS';
}

export function summarize(profile: CpuProfile): { totalMs: number; areas: { area: string; ms: number; pct: number }[]; functions: { fn: string; where: string; ms: number; pct: number }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let total = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') continue;
    total += us;
    const a = area(cf);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const where = cf.url ? `${relative(REPO, cf.url.replace(/^file:\/\//, ''))}:${cf.lineNumber + 1}` : '(native)';
    const key = `${cf.functionName}@${where}`;
    const f = fns.get(key) ?? { fn: cf.functionName || '(anonymous)', where, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  return {
    totalMs: total / 1000,
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, ms: us / 1000, pct: (100 * us) / total })),
    functions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 30)
      .map((f) => ({ fn: f.fn, where: f.where, ms: f.us / 1000, pct: (100 * f.us) / total })),
  };
}

if (process.argv[1]?.endsWith('profile.ts')) {
  const target = process.argv[2] ?? 'nlp';
  const dir = mkdtempSync(join(tmpdir(), 'voc-prof-'));
  const store = mkdtempSync(join(tmpdir(), 'voc-prof-store-'));
  try {
    let r;
    if (target === 'nlp') {
      const corpus = await ensureCorpus(42, 100_000);
      r = await runChild(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', join(REPO, 'bench', 'nlp-workers.ts'), '--corpus', corpus.path, '--docs', arg('docs', '30000'), '--workers', '', '--variants', 'pipeline'], { timeoutMs: 600_000 });
    } else if (target === 'replay') {
      const file = process.argv.includes('--file') ? arg('file', '') : (await ensureCorpus(42, Number(arg('records', '100000')))).path;
      r = await runChild(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(REPO, 'bin', 'voc.js'), 'replay', '--store', store, '--no-progress', file], { env: embeddedEnv(), timeoutMs: 600_000, measureRss: true });
      process.stdout.write(`peak RSS ${r.peakRssMB} MB, CPU ${r.cpuSeconds?.toFixed(1)} s (all threads), wall ${r.seconds.toFixed(1)} s\n`);
    } else throw new Error(`unknown target ${target}: nlp | replay`);
    if (r.code !== 0) throw new Error(`target exited ${r.code}: ${r.stderr.slice(-500)}`);
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile: the main thread is thread 0 (others are
    // the module-hooks thread of tsx and worker threads).
    const mainFile = files.find((f) => f.split('.')[4] === '0') ?? files[0];
    const main = mainFile ? { f: mainFile, p: JSON.parse(readFileSync(join(dir, mainFile), 'utf8')) as CpuProfile } : undefined;
    if (!main) throw new Error('no .cpuprofile written');
    const s = summarize(main.p);
    process.stdout.write(`${r.stdout.trim().split('\n').filter((l) => !l.startsWith('{')).join('\n')}\n\nself time by area (${target}, ${fmt(s.totalMs)} ms sampled):\n`);
    for (const a of s.areas) process.stdout.write(`  ${a.area.padEnd(44)} ${fmt(a.ms).padStart(8)} ms  ${fmt(a.pct, 1).padStart(5)}%\n`);
    process.stdout.write('\ntop functions by self time:\n');
    for (const f of s.functions.slice(0, 20)) process.stdout.write(`  ${fmt(f.pct, 1).padStart(5)}%  ${f.fn}  ${f.where}\n`);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `profile-${target}.json`), `${JSON.stringify({ date: new Date().toISOString(), target, ...s }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
}
