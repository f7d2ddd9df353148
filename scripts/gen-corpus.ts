/**
 * Synthetic Voice-of-Customer corpus for benchmarks: FeedbackEvent JSONL lines valid for
 * `voc replay`, deterministic from a seed, any size, streamed (bounded memory).
 *
 *   npm run gen-corpus -- --count 100000 --seed 42 --out bench/.cache/corpus-1e5.jsonl
 *
 * What is in it (docs/performance.md, "The corpus"):
 *   - the five channels, in a fixed mix (social and hotline most, dealer least);
 *   - text lengths 5–500 characters, log-normal with a median near 60;
 *   - sentences composed from templates × automotive aspect terms × opinion words × degree and
 *     negation words × contrast connectives, so that the tagger has real work on every text;
 *   - ~10% Traditional Chinese (Taiwan phrasing via OpenCC twp, Hong Kong via hk);
 *   - ~6% with PII: mainland mobiles in several spellings, VINs with a valid check digit, plates
 *     (new-energy ones too), e-mail, WeChat ids, honorific names;
 *   - ~0.5% malformed lines (bad JSON, wrong shape, empty text, unknown channel, extra field),
 *     which the replay dead-letters.
 * The i-th line depends only on (seed, i): a corpus of n lines is the prefix of a larger one.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenCC from 'opencc-js';
import { CHANNELS, type Channel, type FeedbackEventInput } from '../src/core/feedback-event.js';

/** A corpus line as `voc replay` reads it: id, receivedAt and schemaVersion are derived on read. */
export type CorpusEvent = Omit<FeedbackEventInput, 'schemaVersion' | 'id' | 'receivedAt'>;

export const GENERATOR_VERSION = 2;

// ── PRNG ─────────────────────────────────────────────────────────────────────────────────────
/** sfc32: small, fast, good enough for synthetic data; seeded per line so lines are independent. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number, stream: number) {
    this.a = seed >>> 0;
    this.b = (stream * 0x9e3779b9) >>> 0;
    this.c = (seed ^ 0x85ebca6b ^ stream) >>> 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ── Vocabulary ───────────────────────────────────────────────────────────────────────────────
interface Aspect {
  terms: readonly string[];
  pos: readonly string[];
  neg: readonly string[];
}

// Aspect terms × opinions, in the words owners write in reviews, hotline calls and dealer surveys.
const ASPECTS: readonly Aspect[] = [
  { terms: ['变速箱', '换挡', '低速换挡', '双离合', '拨箱'], pos: ['平顺', '顺滑', '很线性'], neg: ['顿挫', '顿挫感明显', '有冲击感', '换挡不平顺', '反应迟钝'] },
  { terms: ['车机', '中控屏', '导航', '语音助手', '车机系统', '大屏'], pos: ['流畅', '好用', '反应快', '很智能'], neg: ['卡顿', '死机', '反应慢', '经常黑屏', '卡', '老是断连'] },
  { terms: ['续航', '电池', '续航里程', '冬季续航'], pos: ['扎实', '够用', '很实在'], neg: ['掉电快', '虚标', '缩水严重', '打折厉害'] },
  { terms: ['油耗', '百公里油耗', '市区油耗'], pos: ['低', '很省油', '控制得不错'], neg: ['高', '偏高', '太高了', '比宣传的高'] },
  { terms: ['空间', '后排空间', '后备箱', '储物空间'], pos: ['大', '宽敞', '够用'], neg: ['小', '局促', '有点挤'] },
  { terms: ['座椅', '前排座椅', '座椅通风', '座椅加热'], pos: ['舒服', '包裹性好', '支撑到位'], neg: ['硬', '不舒服', '坐久了腰疼'] },
  { terms: ['底盘', '悬挂', '减震'], pos: ['扎实', '滤震好', '很稳'], neg: ['松散', '有异响', '太硬', '颠簸'] },
  { terms: ['胎噪', '风噪', '噪音', '异响'], pos: ['小', '控制得好', '几乎听不到'], neg: ['大', '明显', '很吵', '受不了'] },
  { terms: ['隔音', '静谧性', 'NVH'], pos: ['好', '出色', '不错'], neg: ['差', '一般', '不行'] },
  { terms: ['动力', '加速', '起步', '超车', '给油'], pos: ['强劲', '给力', '充沛', '有推背感'], neg: ['肉', '不足', '弱', '没劲', '迟缓'] },
  { terms: ['刹车', '制动', '刹车脚感'], pos: ['灵敏', '线性', '踏实'], neg: ['偏软', '有异响', '点头严重'] },
  { terms: ['空调', '空调制冷', '暖风'], pos: ['制冷快', '给力', '很舒服'], neg: ['有异味', '不制冷', '噪音大'] },
  { terms: ['外观', '造型', '车身线条', '前脸'], pos: ['好看', '大气', '时尚', '耐看'], neg: ['一般', '丑', '太普通'] },
  { terms: ['内饰', '做工', '用料', '中控台'], pos: ['精致', '有质感', '做工扎实'], neg: ['廉价', '做工粗糙', '有异味', '缝隙大'] },
  { terms: ['价格', '性价比', '落地价', '优惠'], pos: ['实惠', '良心', '很高'], neg: ['太贵', '偏高', '不值'] },
  { terms: ['销售', '销售顾问', '接待'], pos: ['热情', '专业', '很耐心'], neg: ['态度差', '爱答不理', '忽悠人'] },
  { terms: ['售后', '4S店', '服务顾问', '维修', '保养'], pos: ['专业', '及时', '很周到'], neg: ['推诿', '效率低', '乱收费', '等了很久'] },
  { terms: ['充电桩', '充电', '快充', '家充'], pos: ['方便', '很快', '安装及时'], neg: ['难找', '太慢', '经常坏', '排队久'] },
  { terms: ['客服', '热线', '400电话', '在线客服'], pos: ['耐心', '回复及时', '态度好'], neg: ['打不通', '没人接', '敷衍'] },
  { terms: ['OTA', '升级', '软件更新'], pos: ['及时', '很有诚意', '功能多了'], neg: ['升级后更卡', '失败', '太慢'] },
  { terms: ['方向盘', '转向', '操控'], pos: ['精准', '轻盈', '指哪打哪'], neg: ['虚', '沉', '有旷量'] },
  { terms: ['大灯', '灯光', '远光'], pos: ['亮', '照得远'], neg: ['暗', '照不远'] },
  { terms: ['辅助驾驶', '自适应巡航', '车道保持', '自动泊车'], pos: ['好用', '很稳', '靠谱'], neg: ['不靠谱', '经常误报', '太激进'] },
  { terms: ['车漆', '漆面', '车门'], pos: ['光亮', '厚实'], neg: ['掉漆', '有色差', '关门声音空'] },
];

const DEGREE = ['很', '非常', '太', '特别', '有点', '稍微', '比较', '超级', '真的', ''] as const;
const NEGATION = ['不', '不太', '并不', '没那么'] as const;
const NEGATED_NOUN = ['没有', '没', '无', '没发现'] as const;
const NEGATED_FAULTS = ['顿挫', '异响', '异味', '卡顿', '死机', '掉漆', '色差', '抖动', '漏油', '问题'] as const;
const CONTRAST = ['但是', '不过', '就是', '可是', '只是'] as const;
const ENDINGS = ['，', '，', '，', '。', '！', '；', ' '] as const;
const EMOJI = ['😡', '👍', '😂', '🙄', '[怒]', '[赞]'] as const;
const SERIES = ['星海S7', '云驰L6', '远航X9', '锐界M5', '青岚E3', '北辰T8'] as const;
const PLACES: readonly (readonly [string, string])[] = [
  ['广东', '深圳'], ['广东', '广州'], ['浙江', '杭州'], ['江苏', '南京'], ['上海', '上海'], ['北京', '北京'],
  ['四川', '成都'], ['湖北', '武汉'], ['山东', '济南'], ['河南', '郑州'], ['福建', '厦门'], ['陕西', '西安'],
];
const PLATE_PROVINCES = ['京', '沪', '粤', '浙', '苏', '川', '鄂', '鲁', '豫', '闽', '陕', '渝'] as const;
const SURNAMES = ['张', '李', '王', '刘', '陈', '杨', '赵', '黄', '周', '吴'] as const;
const HONORIFICS = ['先生', '女士', '师傅', '经理'] as const;
const NUM_CN = ['一', '两', '三', '四', '五', '六', '八', '十'] as const;
/** Narrative clauses with no aspect in them: real posts are mostly context around a few opinions. */
const NARRATIVE = [
  '周末带家人去了趟郊区', '上下班代步用', '老婆说还可以', '对比了好几款才定的', '朋友推荐买的', '第一次买车没什么经验',
  '平时就市区开开', '家里第二台车', '说实话', '怎么说呢', '一开始挺犹豫的', '订车等了一个多月', '今天又去了一趟',
  '已经反映好几次了', '目前就这些', '希望越做越好', '以上是个人感受', '有同样情况的车友吗', '具体情况如下',
  '昨天晚上下雨', '早上出门的时候', '回老家跑了八百公里', '谢谢', '麻烦尽快处理', '辛苦了', '孩子也挺喜欢',
  '之前开的是合资车', '身边好几个同事也买了', '纠结了很久', '总的来说', '不知道是不是个例', '先说结论',
] as const;

const SOURCES: Record<Channel, readonly string[]> = {
  hotline: ['hotline.transcript', 'hotline.workorder'],
  survey: ['survey.webhook', 'survey.csv'],
  private_domain: ['private_domain.wecom', 'private_domain.app'],
  social: ['social.weibo', 'social.dongchedi', 'social.autohome', 'social.xiaohongshu'],
  dealer: ['dealer.service_order'],
};
const OPENERS: Record<Channel, readonly string[]> = {
  hotline: ['您好，我想反映一下，', '客户来电称', '用户反馈：', '你好，', ''],
  survey: ['', '', '总体来说，', '这次体验，'],
  private_domain: ['', '群里说一下，', '车友们，', '@客服 '],
  social: ['#吐槽#', '提车一个月真实感受：', '', '', '说句公道话，', '【用车心得】'],
  dealer: ['保养完车后，', '本次维修', '', '客户评价：'],
};
/** Channel weights: social and hotline most, dealer least. */
const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ['social', 0.3], ['hotline', 0.25], ['survey', 0.2], ['private_domain', 0.15], ['dealer', 0.1],
];

// ── Text ─────────────────────────────────────────────────────────────────────────────────────
/** Degree word + opinion, without doubling 很 (很 + 很稳). */
function graded(deg: string, opinion: string): string {
  return deg !== '' && opinion.startsWith('很') ? deg + opinion.slice(1) : deg + opinion;
}

function clause(r: Rng): string {
  // About half the clauses carry no aspect: ~4 code hits per text of median length, near what
  // the stage finds in real car-forum posts of that length.
  if (r.chance(0.62)) return r.pick(NARRATIVE);
  const a = r.pick(ASPECTS);
  const term = r.pick(a.terms);
  const deg = r.pick(DEGREE);
  switch (r.int(12)) {
    case 0:
    case 1:
    case 2:
      return `${term}${graded(deg, r.pick(a.neg))}`;
    case 3:
    case 4:
      return `${term}${graded(deg, r.pick(a.pos))}`;
    case 5:
      return `${term}${r.pick(NEGATION)}${r.pick(a.pos).replace(/^很/, '')}`;
    case 6:
      return `${r.chance(0.5) ? term : ''}${r.pick(NEGATED_NOUN)}${r.pick(NEGATED_FAULTS)}`;
    case 7:
      return `感觉${term}${graded(deg, r.pick(r.chance(0.5) ? a.pos : a.neg))}`;
    case 8:
      return `${term}还行`;
    case 9:
      return r.pick([
        `提车${r.pick(NUM_CN)}个月了`,
        `开了${1 + r.int(9)}万公里`,
        `上周去${r.pick(PLACES)[1]}的4S店做了保养`,
        '希望厂家重视一下',
        '希望给个说法',
        '推荐大家购买',
        '总体还算满意',
        '后悔买了',
        '家里人都挺喜欢',
        `跑高速的时候${term}${r.pick(a.neg)}`,
      ]);
    case 10: {
      const b = r.pick(ASPECTS);
      return `${term}方面${r.pick(a.pos)}，${r.pick(CONTRAST)}${r.pick(b.terms)}${graded(deg, r.pick(b.neg))}`;
    }
    default:
      return `和之前的车比${term}${graded(deg, r.pick(a.pos))}`;
  }
}

function mobile(r: Rng): string {
  const prefix = r.pick(['138', '139', '136', '158', '186', '177', '199', '150']);
  const rest = String(10_000_000 + r.int(90_000_000));
  switch (r.int(4)) {
    case 0:
      return `${prefix}${rest}`;
    case 1:
      return `+86 ${prefix} ${rest.slice(0, 4)} ${rest.slice(4)}`;
    case 2:
      return `${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}`;
    default:
      return `+86${prefix}${rest}`;
  }
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
function vinValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  return 'ABCDEFGH'.includes(c) ? 'ABCDEFGH'.indexOf(c) + 1 : 'JKLMN'.includes(c) ? 'JKLMN'.indexOf(c) + 1 : c === 'P' ? 7 : c === 'R' ? 9 : 'STUVWXYZ'.indexOf(c) + 2;
}
/** A VIN with a valid ISO 3779 check digit (position 9). */
export function vin(r: Rng): string {
  const chars = ['L', r.pick(['S', 'F', 'V', 'B', 'G']), r.pick(['V', 'G', 'J', 'A'])];
  for (let i = 3; i < 17; i++) chars.push(VIN_CHARS[r.int(VIN_CHARS.length)]!);
  chars[8] = '0';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += vinValue(chars[i]!) * VIN_WEIGHTS[i]!;
  const check = sum % 11;
  chars[8] = check === 10 ? 'X' : String(check);
  return chars.join('');
}

function plate(r: Rng): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXY';
  const p = `${r.pick(PLATE_PROVINCES)}${letters[r.int(letters.length)]}`;
  if (r.chance(0.3)) return `${p}${r.pick(['D', 'F'])}${String(10_000 + r.int(90_000))}`; // new-energy: 6 after the letter
  return `${p}${r.chance(0.3) ? '·' : ''}${String(10_000 + r.int(90_000))}`;
}

function pii(r: Rng): string {
  switch (r.int(7)) {
    case 0:
    case 1:
      return r.pick(['电话', '手机', '联系方式', '回电']) + r.pick(['', '：', ' ']) + mobile(r);
    case 2:
      return `车架号${vin(r)}`;
    case 3:
      return `车牌${plate(r)}`;
    case 4:
      return `邮箱${r.pick(['zhang.wei', 'lixiao88', 'carfan_2024', 'wangfang'])}${r.int(1000)}@${r.pick(['163.com', 'qq.com', 'example.com'])}`;
    case 5:
      return `加我微信${r.pick(['', ' '])}${r.pick(['wx', 'car', 'ev'])}_${100_000 + r.int(900_000)}`;
    default:
      return `找${r.pick(SURNAMES)}${r.pick(HONORIFICS)}处理的`;
  }
}

let twConverter: ((s: string) => string) | undefined;
let hkConverter: ((s: string) => string) | undefined;
function traditional(text: string, hk: boolean): string {
  if (hk) return (hkConverter ??= OpenCC.Converter({ from: 'cn', to: 'hk' }))(text.replace(/变速箱/g, '波箱'));
  return (twConverter ??= OpenCC.Converter({ from: 'cn', to: 'twp' }))(text);
}

/** Log-normal length, median 60, clipped to 5..500. */
export function targetLength(r: Rng): number {
  return Math.max(5, Math.min(500, Math.round(Math.exp(Math.log(60) + 0.75 * r.normal()))));
}

export interface GeneratedText {
  text: string;
  traditional: 'tw' | 'hk' | null;
  pii: boolean;
}

export function generateText(r: Rng, channel: Channel): GeneratedText {
  const len = targetLength(r);
  const withPii = r.chance(0.06);
  let text = r.pick(OPENERS[channel]);
  while (text.length < len) {
    if (text.length > 0 && r.chance(0.15)) text += r.pick(CONTRAST);
    text += clause(r);
    if (r.chance(0.04)) text += r.pick(EMOJI);
    text += r.pick(ENDINGS);
  }
  // Cut by code points, so that an emoji's surrogate pair is never split.
  const points = [...text];
  if (withPii) {
    // PII goes in whole (never cut by the length), after a clause of its own.
    const p = pii(r);
    text = `${points.slice(0, Math.max(0, len - p.length - 1)).join('')}，${p}`;
  } else {
    text = points.slice(0, len).join('').trim();
  }
  if (text.replace(/[\s，。！；]/g, '') === '') text = '还不错';
  let trad: GeneratedText['traditional'] = null;
  if (r.chance(0.1)) {
    trad = r.chance(0.6) ? 'tw' : 'hk';
    text = traditional(text, trad === 'hk');
  }
  return { text, traditional: trad, pii: withPii };
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────
const AUTHOR_POOL = 50_000;
const EPOCH_2026 = Date.UTC(2026, 0, 1);
const YEAR_MS = 300 * 24 * 3600 * 1000;

function authorKey(seed: number, n: number): string {
  return createHash('md5').update(`voc-bench-author:${seed}:${n}`).digest('hex');
}

function pickChannel(r: Rng): Channel {
  let x = r.next();
  for (const [c, w] of CHANNEL_WEIGHTS) {
    if (x < w) return c;
    x -= w;
  }
  return 'dealer';
}

function isoPlus8(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** The i-th event of the corpus: a function of (seed, i) alone. */
export function generateEvent(seed: number, i: number): { event: CorpusEvent; meta: GeneratedText } {
  const r = new Rng(seed, i + 1);
  const channel = pickChannel(r);
  const meta = generateText(r, channel);
  const [province, city] = r.pick(PLACES);
  const context: NonNullable<FeedbackEventInput['context']> = {
    vehicleSeries: r.pick(SERIES),
    modelYear: 2022 + r.int(5),
    province,
    city,
  };
  if (channel === 'survey') context.ratings = { nps: r.int(11) };
  if (channel === 'dealer') context.dealerCode = `D${String(1000 + r.int(400))}`;
  if (channel === 'social' || channel === 'private_domain') context.platform = r.pick(SOURCES[channel]).split('.')[1]!;
  if (meta.traditional) context.region = meta.traditional === 'tw' ? 'TW' : 'HK';
  const event: CorpusEvent = {
    channel,
    source: r.pick(SOURCES[channel]),
    sourceId: `bench-${seed}-${i}`,
    occurredAt: isoPlus8(EPOCH_2026 + Math.floor(r.next() * YEAR_MS)),
    text: meta.text,
    authorKey: r.chance(0.9) ? authorKey(seed, r.int(AUTHOR_POOL)) : null,
    context,
  };
  if (r.chance(0.05)) event.consent = { coCreation: true };
  return { event, meta };
}

export const MALFORMED_KINDS = ['bad_json', 'not_object', 'empty_text', 'unknown_channel', 'extra_field', 'text_not_string'] as const;

function malformed(r: Rng, line: string): string {
  switch (r.pick(MALFORMED_KINDS)) {
    case 'bad_json':
      return line.slice(0, Math.max(1, Math.floor(line.length / 2)));
    case 'not_object':
      return `[${line}]`;
    case 'empty_text':
      return line.replace(/"text":"(?:[^"\\]|\\.)*"/, '"text":"   "');
    case 'unknown_channel':
      return line.replace(/"channel":"[a-z_]+"/, '"channel":"fax"');
    case 'extra_field':
      return line.replace(/^\{/, '{"priority":"high",');
    default:
      return line.replace(/"text":"(?:[^"\\]|\\.)*"/, '"text":12345');
  }
}

export const MALFORMED_RATE = 0.005;

/** One JSONL line (no newline). About 0.5% of lines are malformed on purpose. */
export function corpusLine(seed: number, i: number): string {
  const { event } = generateEvent(seed, i);
  const line = JSON.stringify(event);
  const r = new Rng(seed ^ 0x5bd1e995, i + 1);
  return r.chance(MALFORMED_RATE) ? malformed(r, line) : line;
}

export function* corpusLines(seed: number, count: number, start = 0): Generator<string> {
  for (let i = start; i < start + count; i++) yield corpusLine(seed, i);
}

export interface WriteCorpusResult {
  lines: number;
  bytes: number;
}

/** Streams `count` lines to `out` with back-pressure: memory stays flat at any size. */
export async function writeCorpus(out: string, seed: number, count: number): Promise<WriteCorpusResult> {
  await mkdir(dirname(out), { recursive: true });
  const ws = createWriteStream(out);
  let bytes = 0;
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (chunk === '') return;
    bytes += Buffer.byteLength(chunk);
    const ok = ws.write(chunk);
    chunk = '';
    if (!ok) await new Promise<void>((resolve) => ws.once('drain', resolve));
  };
  for (let i = 0; i < count; i++) {
    chunk += corpusLine(seed, i) + '\n';
    if (chunk.length > 1 << 16) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { lines: count, bytes };
}

// ── CLI ──────────────────────────────────────────────────────────────────────────────────────
function parseArgs(argv: string[]): { count: number; seed: number; out: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const count = Number(get('count') ?? '10000');
  const seed = Number(get('seed') ?? '42');
  const out = get('out') ?? `bench/.cache/corpus-s${seed}-n${count}.jsonl`;
  if (!Number.isInteger(count) || count < 0) throw new Error(`--count: expected a non-negative integer, got ${get('count')}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got ${get('seed')}`);
  return { count, seed, out };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--help')) {
    process.stdout.write('Usage: npm run gen-corpus -- [--count N=10000] [--seed S=42] [--out FILE]\n');
  } else {
    const { count, seed, out } = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const { lines, bytes } = await writeCorpus(out, seed, count);
    const s = (performance.now() - t0) / 1000;
    process.stdout.write(`gen-corpus: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB → ${out} in ${s.toFixed(1)}s (seed ${seed}, generator v${GENERATOR_VERSION})\n`);
  }
}

export { CHANNELS };
