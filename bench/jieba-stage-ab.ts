/**
 * Interleaved A/B of the NLP stage's `analyze` per text, same process: checkout A (e.g. a worktree of
 * the commit before the TypeScript jieba) against checkout B, same code frame and lexicon, the same
 * corpus texts, rounds alternating A B A B … so that both see the same machine state. Reports µs
 * per text of wall time and of process CPU time per round, tokens off and on. Asserts nothing.
 *
 *   npx tsx bench/jieba-stage-ab.ts --a /tmp/nlp-base --b . --config /tmp/nlp-config [--count 30000] [--rounds 4] [--compiled]
 *
 * --compiled: each checkout's src/ compiled with its tsc (tsconfig.build.json) into a new directory
 * under its bench/.cache and its nlp/stage.js timed, as `npm run bench` does; by default the sources run through tsx.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, ensureCorpus, load1, REPO } from './lib/common.js';

const a = resolve(arg('a', '/tmp/nlp-base'));
const b = resolve(arg('b', REPO));
const config = resolve(arg('config', join(REPO, 'config')));
const count = Number(arg('count', '30000'));
const rounds = Number(arg('rounds', '4'));
const compiled = process.argv.includes('--compiled');

/** The stage module of a checkout: its source, or (--compiled) its tsc output, compiled once. */
const stageJs = new Map<string, string>();
function stageModule(root: string): string {
  if (!compiled) return join(root, 'src', 'nlp', 'stage.ts');
  let p = stageJs.get(root);
  if (p === undefined) {
    // Inside the checkout, so that its node_modules resolve.
    mkdirSync(join(root, 'bench', '.cache'), { recursive: true });
    const out = mkdtempSync(join(root, 'bench', '.cache', 'nlp-ab-'));
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in a shared tree still emit JavaScript (noEmitOnError is off).
    }
    p = join(out, 'nlp', 'stage.js');
    stageJs.set(root, p);
    process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  }
  return p;
}

type Analyze = (text: string) => unknown;
interface StageModule {
  createNlpStage(o: { codeFramePath: string; lexiconDir: string; tokens: boolean }): Promise<{ analyze: Analyze }>;
}

async function build(root: string, tokens: boolean): Promise<{ analyze: Analyze; ms: number; rssMb: number }> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const mod = (await import(pathToFileURL(stageModule(root)).href)) as StageModule;
  const stage = await mod.createNlpStage({ codeFramePath: join(config, 'codeframe.yaml'), lexiconDir: join(config, 'lexicon'), tokens });
  return { analyze: stage.analyze, ms: performance.now() - t0, rssMb: (process.memoryUsage().rss - rss0) / 1e6 };
}

const { path } = await ensureCorpus(42, Math.max(count, 10000));
const texts: string[] = [];
for (const line of readFileSync(path, 'utf8').split('\n')) {
  if (texts.length >= count) break;
  try {
    const v = JSON.parse(line) as { text?: unknown };
    if (typeof v.text === 'string' && v.text.length > 0) texts.push(v.text);
  } catch {
    // malformed corpus lines
  }
}

function run(analyze: Analyze): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const t of texts) analyze(t);
  const wall = ((performance.now() - t0) * 1000) / texts.length;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / texts.length };
}

const summary: Record<string, { a: number[]; b: number[]; aCpu: number[]; bCpu: number[] }> = {};
for (const tokens of [false, true]) {
  const A = await build(a, tokens);
  const B = await build(b, tokens);
  console.log(`tokens ${tokens ? 'on' : 'off'}: built A in ${A.ms.toFixed(0)} ms (rss +${A.rssMb.toFixed(0)} MB), B in ${B.ms.toFixed(0)} ms (rss +${B.rssMb.toFixed(0)} MB)`);
  // warm-up
  run(A.analyze);
  run(B.analyze);
  const s = { a: [] as number[], b: [] as number[], aCpu: [] as number[], bCpu: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const ra = run(A.analyze);
    const rb = run(B.analyze);
    s.a.push(ra.wall);
    s.b.push(rb.wall);
    s.aCpu.push(ra.cpu);
    s.bCpu.push(rb.cpu);
    console.log(
      `  round ${r}: A ${ra.wall.toFixed(1)} µs/text (cpu ${ra.cpu.toFixed(1)}), B ${rb.wall.toFixed(1)} µs/text (cpu ${rb.cpu.toFixed(1)}), B/A cpu ${(rb.cpu / ra.cpu).toFixed(3)}  load ${load1().toFixed(2)}`,
    );
  }
  summary[tokens ? 'on' : 'off'] = s;
}
const med = (x: number[]): number => [...x].sort((p, q) => p - q)[x.length >> 1]!;
for (const [k, s] of Object.entries(summary)) {
  console.log(
    `tokens ${k}: median A ${med(s.a).toFixed(1)} µs (cpu ${med(s.aCpu).toFixed(1)}), B ${med(s.b).toFixed(1)} µs (cpu ${med(s.bCpu).toFixed(1)}); ` +
      `speed-up per CPU-second ${(med(s.aCpu) / med(s.bCpu)).toFixed(2)}×`,
  );
}
