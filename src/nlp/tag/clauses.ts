/**
 * Clause splitting for aspect-level sentiment. A clause ends at clause punctuation (，。！？；… and
 * their ASCII forms, a full stop only when it is not a decimal point), at a line break, or at a space
 * between two non-ASCII characters (forum posts often use a space as a comma); a contrast word
 * (但是, 不过, 就是, 可是 …) starts a new clause and marks it as contrastive.
 */
export interface Clause {
  text: string;
  /** [start, end) in the full text. */
  start: number;
  end: number;
  index: number;
  /** The clause begins with a contrast word: it usually carries the writer's conclusion. */
  contrast: boolean;
  /** The clause is a question (ends in ？/? or 吗, A不A, 请问); its opinion words do not count. */
  question: boolean;
  /** The clause is concessive (虽然, 尽管 …): outweighed by the contrast that follows. */
  concessive: boolean;
  /** The clause is hypothetical or advice (如果, 要是, 万一, 建议, 希望 …); neutral like a question. */
  hypothetical: boolean;
}

const BREAK = new Uint8Array(0x10000);
for (const ch of '，,。！!？?；;…\n\r～~') BREAK[ch.charCodeAt(0)] = 1;
export const DEFAULT_CONTRAST_WORDS = ['但是', '不过', '就是', '可是', '然而', '只是', '可惜', '但'];
export const DEFAULT_CONCESSIVE_WORDS = ['虽然', '虽说', '尽管', '虽', '固然'];
/**
 * Contrast adverbs that sit after the subject (油耗却很高, 空间反而小): splitting there would cut the
 * aspect from its opinion, so they mark the clause as contrastive without splitting it.
 */
const NO_SPLIT = new Set(['却', '卻', '反而', '偏偏', '倒是']);

const QUESTION_TAIL = /(吗|么|嘛|呢)[\s?？~～]*$|^[^?？]*(多少|怎么样|如何|是否|有没有|是不是|会不会|能不能|哪个|哪款)[^?？]*[?？]$/;

const QUESTION_PARTICLES = new Set([0x5417, 0x4e48, 0x561b, 0x5462]); // 吗 么 嘛 呢

// Irrealis: conditions (如果, 要是 — at the start), wishes and speculation (希望, 可能 — anywhere),
// and preference-conditioned advice, which names an aspect without judging this car's:
// 要空间就买大七座, 喜欢操控就选马自达, 论舒适你应该上…, 在乎油耗的话 ….
// As a regex:
//   /^(如果|假如|要是|万一|假设|倘若|建议|想要|论)|希望|但愿|可能|也许|或许|估计|应该会|的话|
//    ^要[^，,]{1,8}(就|买|选|上)|(喜欢|注重|追求|讲究|在乎|在意)[^，,]{1,8}(就|买|选)|可以考虑|推荐你|你应该/
// `hypothetical` below finds the same in one pass over the clause (its words by first character).
const HYPO_START = ['如果', '假如', '要是', '万一', '假设', '倘若', '建议', '想要', '论'];
const HYPO_ANYWHERE = ['希望', '但愿', '可能', '也许', '或许', '估计', '应该会', '的话', '可以考虑', '推荐你', '你应该'];
const HYPO_PREFERENCE = ['喜欢', '注重', '追求', '讲究', '在乎', '在意'];
const BUY = '就买选';
const BUY_OR_GET = '就买选上';
/** Words anywhere (kind 0) and preference words (kind 1) by their first code unit. */
const HYPO_BY_FIRST: ({ word: string; pref: boolean }[] | undefined)[] = new Array<{ word: string; pref: boolean }[] | undefined>(0x10000);
for (const word of HYPO_ANYWHERE) (HYPO_BY_FIRST[word.charCodeAt(0)] ??= []).push({ word, pref: false });
for (const word of HYPO_PREFERENCE) (HYPO_BY_FIRST[word.charCodeAt(0)] ??= []).push({ word, pref: true });

/** [^，,]{1,8} from `from`, then one of `ends`. */
function windowThen(t: string, from: number, ends: string): boolean {
  for (let k = from; k < from + 8 && k + 1 < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c === 0xff0c || c === 0x2c) return false;
    if (ends.includes(t.charAt(k + 1))) return true;
  }
  return false;
}

function hypothetical(t: string): boolean {
  for (const w of HYPO_START) if (t.startsWith(w)) return true;
  if (t.charCodeAt(0) === 0x8981 && windowThen(t, 1, BUY_OR_GET)) return true; // 要
  for (let i = 0; i < t.length; i++) {
    const words = HYPO_BY_FIRST[t.charCodeAt(i)];
    if (words === undefined) continue;
    for (const { word, pref } of words) {
      if (!t.startsWith(word, i)) continue;
      if (!pref || windowThen(t, i + word.length, BUY)) return true;
    }
  }
  return false;
}

// Characters without which a test cannot match (flags per code unit): a clause holding none of them
// skips that test. A-not-A (aNotA below) needs 不, 没 or 请; hypothetical the first character of
// one of its words (话 for 的话).
const NEEDS_A_NOT_A = 1;
const NEEDS_HYPOTHETICAL = 2;
const NEEDS_CONCESSIVE = 4;
const GATE = new Uint8Array(0x10000);
function flag(table: Uint8Array, c: number, f: number): void {
  table[c] = (table[c] as number) | f;
}
for (const ch of '不没请') flag(GATE, ch.charCodeAt(0), NEEDS_A_NOT_A);
for (const ch of '如假要万倘建希但可也或估应想论话喜注追讲在推你') flag(GATE, ch.charCodeAt(0), NEEDS_HYPOTHETICAL);

const BU = 0x4e0d; // 不
const MEI = 0x6ca1; // 没

/**
 * A-not-A questions (好不好, 烧不烧, 有没有) and 请问 anywhere in the clause: what
 * /([\u4e00-\u9fff])[不没]\1|请问/ finds, as a loop over the code units (most clauses with 不 or 没
 * get this far).
 */
function aNotA(t: string): boolean {
  for (let i = 1; i + 1 < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== BU && c !== MEI) continue;
    const x = t.charCodeAt(i - 1);
    if (x >= 0x4e00 && x <= 0x9fff && t.charCodeAt(i + 1) === x) return true;
  }
  return t.includes('请问');
}

function isQuestion(t: string, endsWithQuestion: boolean, gate: number): boolean {
  if ((gate & NEEDS_A_NOT_A) !== 0 && aNotA(t)) return true;
  // Cheap checks first: the tail regex only runs on clauses that end like a question.
  if (!endsWithQuestion && !QUESTION_PARTICLES.has(t.charCodeAt(t.length - 1))) return false;
  return QUESTION_TAIL.test(endsWithQuestion ? `${t}?` : t);
}

function isAscii(c: number): boolean {
  return c < 0x80;
}

export class ClauseSplitter {
  private readonly contrast: string[];
  private readonly contrastFirst = new Uint8Array(0x10000);

  private readonly concessive: readonly string[];
  /** GATE plus the first characters of the concessive words. */
  private readonly gate = GATE.slice();

  constructor(contrastWords: readonly string[] = DEFAULT_CONTRAST_WORDS, concessiveWords: readonly string[] = DEFAULT_CONCESSIVE_WORDS) {
    // Longest first so 但是 wins over 但.
    this.contrast = [...new Set(contrastWords)].filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
    this.concessive = concessiveWords.filter((w) => w.length > 0);
    for (const w of this.contrast) this.contrastFirst[w.charCodeAt(0)] = 1;
    for (const w of this.concessive) flag(this.gate, w.charCodeAt(0), NEEDS_CONCESSIVE);
  }

  /** The clause [start, end) trimmed of spaces, or nothing when it is empty. */
  private clause(clauses: Clause[], text: string, start: number, end: number, contrast: boolean, endsWithQuestion: boolean): void {
    let s = start;
    let e = end;
    while (s < e && text.charCodeAt(s) === 0x20) s++;
    while (e > s && text.charCodeAt(e - 1) === 0x20) e--;
    if (e <= s) return;
    const gates = this.gate;
    let gate = 0;
    for (let i = s; i < e; i++) gate |= gates[text.charCodeAt(i)] as number;
    const t = text.slice(s, e);
    let concessive = false;
    if ((gate & NEEDS_CONCESSIVE) !== 0) {
      for (const w of this.concessive) {
        if (t.includes(w)) {
          concessive = true;
          break;
        }
      }
    }
    clauses.push({
      text: t,
      start: s,
      end: e,
      index: clauses.length,
      contrast,
      question: isQuestion(t, endsWithQuestion, gate),
      hypothetical: (gate & NEEDS_HYPOTHETICAL) !== 0 && hypothetical(t),
      concessive,
    });
  }

  split(text: string): Clause[] {
    const clauses: Clause[] = [];
    let start = 0;
    let contrast = false;
    const push = (end: number, endsWithQuestion: boolean, nextContrast: boolean): void => {
      this.clause(clauses, text, start, end, contrast, endsWithQuestion);
      contrast = nextContrast;
    };
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (BREAK[c] === 1) {
        push(i, c === 0x3f || c === 0xff1f, false);
        start = i + 1;
        continue;
      }
      if (c === 0x2e) {
        const prev = text.charCodeAt(i - 1);
        const next = text.charCodeAt(i + 1);
        if (!(prev >= 0x30 && prev <= 0x39 && next >= 0x30 && next <= 0x39)) {
          push(i, false, false);
          start = i + 1;
        }
        continue;
      }
      if (c === 0x20) {
        const prev = text.charCodeAt(i - 1);
        const next = text.charCodeAt(i + 1);
        if (i > 0 && i + 1 < n && !isAscii(prev) && !isAscii(next)) {
          push(i, false, false);
          start = i + 1;
        }
        continue;
      }
      // 除了油耗高其他都满意: after 除了 (except), 其他/其余/别的 opens the clause about "the rest".
      if (c === 0x5176 || c === 0x522b) {
        const other = /^(其他|其它|其余|别的)/.exec(text.slice(i, i + 2));
        if (other && i > start && text.slice(start, i).includes('除了')) {
          push(i, false, false);
          start = i;
          i += other[0].length - 1;
          continue;
        }
      }
      if (this.contrastFirst[c] !== 1) continue;
      for (const w of this.contrast) {
        if (text.startsWith(w, i)) {
          if (NO_SPLIT.has(w)) {
            contrast = true;
            i += w.length - 1;
            break;
          }
          // A contrast word at the very start of a clause only marks it.
          if (i > start && text.slice(start, i).trim().length > 0) {
            push(i, false, true);
            start = i;
          } else contrast = true;
          i += w.length - 1;
          break;
        }
      }
    }
    push(n, false, false);
    return clauses;
  }
}
