/**
 * Throughput of the whole NLP stage on one core: docs/s and MB/s over a synthetic corpus of
 * ~60-character feedback texts (Simplified and Traditional, PII, several aspects, negation and
 * contrast), and heap after each pass to show memory stays flat as the corpus grows.
 *
 *   npm run bench:nlp                 # real code frame and lexicon from config/
 *   npm run bench:nlp -- --fixture    # the unit-test fixture frame (engine only)
 *   npm run bench:nlp -- --no-tokens  # without jieba tokens in the output
 *   npm run bench:nlp -- --dist dist  # the tsc-compiled stage (npm run build) instead of tsx:
 *                                     # tsx's transform (keepNames wrappers) costs ~30 % here
 *
 * Prints figures; asserts nothing.
 */
import OpenCC from 'opencc-js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAnalyzer, createNlpStage } from '../src/nlp/stage.js';
import { fixtureFrame, fixtureLexicon } from '../src/nlp/tag/fixture-frame.js';
import { mulberry32 as rng } from '../src/core/prng.js';

const argv = process.argv.slice(2);
const args = new Set(argv);
const distIndex = argv.indexOf('--dist');
const distDir = distIndex >= 0 ? argv[distIndex + 1] : undefined;


const ASPECTS = ['动力', '油耗', '空间', '车机', '变速箱', '刹车', '座椅', '隔音', '后备箱', '续航', '充电', '大灯', '方向盘', '底盘', '内饰', '外观', '价格', '售后', '4S店', '客服', '导航', '空调', '胎噪', '风噪', '悬挂'];
const OPINIONS = ['不错', '很好', '一般', '太差', '有点肉', '特别给力', '不太满意', '还行', '很失望', '非常满意', '太高', '偏小', '很大', '够用', '有异响', '经常卡顿', '没有顿挫', '顿挫明显', '掉电快', '反应慢'];
const DEGREES = ['', '', '很', '非常', '有点', '稍微', '特别'];
const CONTRAST = ['，但是', '，不过', '，就是', '，可是', '，'];
const FILLER = ['提车三个月了', '开了一万公里', '周末跑了趟高速', '家里第二台车', '上下班代步用', '老婆很喜欢', '朋友推荐买的', '对比了好几款'];

function piiFor(r: () => number): string {
  const n = (k: number): string => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  switch (Math.floor(r() * 5)) {
    case 0:
      return `，电话1${3 + Math.floor(r() * 7)}${n(9)}`;
    case 1:
      return `，车牌粤B${n(5)}`;
    case 2:
      return `，找${'张王李刘陈'[Math.floor(r() * 5)]}先生`;
    case 3:
      return `，微信abc_${n(6)}`;
    default:
      return `，座机010-${n(8)}`;
  }
}

function makeCorpus(size: number, seed = 42): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const toTw = OpenCC.Converter({ from: 'cn', to: 'twp' });
  const out: string[] = [];
  while (out.length < size) {
    let t = `${pick(FILLER)}，${pick(ASPECTS)}${pick(DEGREES)}${pick(OPINIONS)}${pick(CONTRAST)}${pick(ASPECTS)}${pick(OPINIONS)}，${pick(ASPECTS)}${pick(DEGREES)}${pick(OPINIONS)}`;
    if (r() < 0.3) t += piiFor(r);
    while (t.length < 58) t += `，${pick(FILLER)}${Math.floor(r() * 100)}次`;
    if (r() < 0.15) t = toTw(t);
    out.push(t.slice(0, 70));
  }
  return out;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

async function main(): Promise<void> {
  const tokens = !args.has('--no-tokens');
  let analyze: (text: string) => { hits: unknown[] };
  if (args.has('--fixture')) analyze = createAnalyzer(fixtureFrame(), fixtureLexicon(), { tokens });
  else if (distDir !== undefined) {
    const url = pathToFileURL(resolve(distDir, 'nlp/stage.js')).href;
    const mod = (await import(url)) as { createNlpStage: typeof createNlpStage };
    analyze = (await mod.createNlpStage({ tokens })).analyze;
  } else analyze = (await createNlpStage({ tokens })).analyze;
  const warm = makeCorpus(5_000, 7);
  for (const t of warm) analyze(t);

  const sizes = [20_000, 50_000, 100_000, 200_000];
  console.log(
    `NLP stage bench (one core, tokens ${tokens ? 'on' : 'off'}${args.has('--fixture') ? ', fixture frame' : ''}${distDir !== undefined ? `, compiled ${distDir}` : ', tsx'})`,
  );
  // docs/s per CPU-second too: on a shared machine wall time includes waiting for the core.
  console.log('docs\tavg chars\tdocs/s wall\tdocs/s cpu\tMB/s cpu\theap MB after');
  for (const size of sizes) {
    const corpus = makeCorpus(size, size);
    const bytes = corpus.reduce((s, t) => s + Buffer.byteLength(t), 0);
    const chars = corpus.reduce((s, t) => s + t.length, 0);
    let hits = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const t of corpus) hits += analyze(t).hits.length;
    const cpu = process.cpuUsage(c0);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    console.log(
      `${size}\t${(chars / size).toFixed(1)}\t\t${Math.round(size / secs)}\t\t${Math.round(size / cpuSecs)}\t\t${(bytes / 1e6 / cpuSecs).toFixed(2)}\t\t${heapMb().toFixed(1)}\t(${(hits / size).toFixed(2)} hits/doc)`,
    );
  }
}

await main();
