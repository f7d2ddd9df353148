import type { Polarity } from '../../core/enriched-event.js';
import type { Clause } from '../tag/clauses.js';
import type { Match } from '../tag/matcher.js';
import { TermTrie } from '../tag/matcher.js';
import type { RawHit, Scale } from '../tag/tagger.js';
import { EMOJI_NEGATIVE, EMOJI_POSITIVE } from './emoji.js';
import { FUNCTION_PHRASES } from './function-words.js';
import type { Lexicon } from './lexicon.js';

type Cue =
  | { kind: 'pol'; weight: number; degree?: number }
  /** A grammar phrase (好了 "done", 好的 "OK") that is the opinion 好 after a degree adverb: 非常好了, 很好的. */
  | { kind: 'none'; afterDegree?: { kind: 'pol'; weight: number } }
  | { kind: 'mag'; dir: 1 | -1 }
  | { kind: 'neg'; weak: boolean; absence: boolean }
  | { kind: 'deg'; mult: number };

export interface ScoredHit {
  hit: RawHit;
  clause: Clause;
  sentiment: Polarity;
  intensity: number;
  source: 'lexicon' | 'default';
}

export interface ScoreResult {
  hits: ScoredHit[];
  sentiment: { polarity: Polarity; score: number };
}

/** Tunables of the scorer, with the values the golden tests pin. */
export interface ScorerOptions {
  /** Max characters between a modifier (不, 很 …) and what it modifies: 不是很好, 没有什么顿挫. */
  modifierGap: number;
  /** |score| below this is neutral. */
  neutralBelow: number;
  /** Weight of a clause opened by a contrast word in the document score. */
  contrastWeight: number;
  /** Factor on a negated opinion for weak negators (不太好 → mildly negative). */
  weakNegationFactor: number;
  /**
   * Factor on a negated problem term: 没有顿挫 / 不烧机油 is "not a complaint" — by default
   * weakly positive, below the neutral threshold on its own, so it reads as neutral unless the
   * clause praises (没有顿挫，很平顺).
   */
  negatedTermFactor: number;
  /** Max characters between a code term and a magnitude word after it (degree words not counted). */
  magnitudeWindow: number;
  /** Weight of a concessive clause (虽然 …) in the document score. */
  concessiveWeight: number;
  /**
   * Max characters from a code term to the opinion word after it (modifiers not counted). Forum
   * sentences run long without commas; an opinion far from the term is usually about something else.
   */
  opinionWindow: number;
  /** Max characters from an opinion word to a code term after it (很喜欢它的外观). */
  opinionBackWindow: number;
  /** Score of a plain aspect right after 没有/无 (没有倒车影像): a missing feature. */
  absenceScore: number;
  /** Max characters from a term to its opinion across a comparison (油耗比同级别的车低). */
  comparisonWindow: number;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = {
  modifierGap: 2,
  neutralBelow: 0.3,
  contrastWeight: 1.5,
  weakNegationFactor: 0.5,
  negatedTermFactor: 0.25,
  magnitudeWindow: 4,
  concessiveWeight: 0.5,
  opinionWindow: 6,
  opinionBackWindow: 4,
  absenceScore: -0.6,
  comparisonWindow: 14,
};

interface Mods {
  start: number;
  neg: number;
  /** The last negator says "there is no" (没有, 无): 没有倒车影像 is a complaint about a missing feature. */
  absence: boolean;
  weak: boolean;
  deg: number;
  end: number;
}

interface Opinion {
  start: number;
  end: number;
  cue: { kind: 'pol'; weight: number } | { kind: 'mag'; dir: 1 | -1 };
  sign: number; // −1 when negated an odd number of times
  factor: number; // degree multiplier × weak-negation factor
  negated: boolean;
  /** Stands for an opinion-bearing code term; its score is counted on that term, not again. */
  fromTerm?: boolean;
  /** Already added to the clause score (through the first hit it was assigned to). */
  counted: boolean;
}

function opinionValue(op: Opinion, scale: Scale | undefined): number {
  const base = op.cue.kind === 'pol' ? op.cue.weight : op.cue.dir * scaleSign(scale);
  return base * op.sign * op.factor;
}

// 没有想象中那么好, 并不像说的那样差: a negator reaches over a comparison to the opinion; 没有出现过
// 烧机油, 没发现异响: over an experiential verb to the term.
const COMPARISON = /那么|这么|那样|这样|那般|想象|预期|传说|宣传|出现|发现|遇到|碰到|感觉|觉得|听到|担心|什么|任何/;
// 烧机油暂时还没遇到, 异响没有了: a negation right after an opinion-bearing term.
const NEGATED_AFTER = /^[^，,。！？!?]{0,3}?(没|没有|未|不再)(遇到|出现|发现|碰到|感觉到|听到|过|了)|^[^，,。！？!?]{0,2}?(消失|解决|没了|没有了)/;
const EXTENDED_GAP = 8;

function extendsNegation(clause: Clause, mods: Mods, start: number): boolean {
  if (mods.neg === 0 || start - mods.end > EXTENDED_GAP) return false;
  return COMPARISON.test(clause.text.slice(mods.end - clause.start, start - clause.start));
}

/**
 * How much of a negated opinion-bearing term's polarity survives, flipped: a negated problem (没有顿挫,
 * 不烧机油) is "not a complaint" (negatedTermFactor, below the neutral threshold); a negated praise term
 * (不舒服, 不太平顺) is a complaint, at half strength for weak negators.
 */
function negatedTermFactor(def: number, weak: boolean, o: ScorerOptions): number {
  if (def < 0) return o.negatedTermFactor;
  return weak ? o.weakNegationFactor : 1;
}

// A comparative complement may come first: 比奇骏好一些, 比原来贵一点了.
const TRAILING_PARTICLES = /^(?:一些|一点儿|一点|些|点|多了|得多)?[了的啊呀吧啦哦呢嘛]*(?:$|[\s，,。.！!？?；;…~～])/;

function clauseFinal(text: string, end: number): boolean {
  return TRAILING_PARTICLES.test(text.slice(end, end + 4));
}

// Numerals (and 个) before 多/少: by code unit, the character before the cue.
const NUMERAL = new Uint8Array(0x10000);
for (const ch of '0123456789零一二两三四五六七八九十百千万个') NUMERAL[ch.charCodeAt(0)] = 1;

const COMPARATIVE = /比(?!较)|不如|没有|赶不上/;

const EMPHATIC = ['一点也', '一点都', '一点儿也', '一点儿都', '丝毫', '根本', '完全', '压根', '绝对', '从来'];

/** Function phrases that read as the opinion at their head right after a degree adverb. */
const DEGREE_REVIVES: ReadonlySet<string> = new Set(['好了', '好的']);

const ABSENCE = new Set(['没', '没有', '無', '无', '沒', '沒有', '没得', '缺', '缺少']);

function polarityOf(score: number, threshold: number): Polarity {
  if (score >= threshold) return 1;
  if (score <= -threshold) return -1;
  return 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function scaleSign(scale: Scale | undefined): number {
  return scale === 'higher_better' ? 1 : scale === 'higher_worse' ? -1 : 0;
}

/**
 * Aspect-level sentiment (rules and examples: docs/nlp.md). Within each clause, cues (opinion words,
 * magnitude words, negators, degree adverbs) are read left to right: negators and degree adverbs
 * attach to the next opinion word or code term within `modifierGap` characters; an opinion word
 * applies to every code term waiting before it within `opinionWindow` (动力和操控都很好), else to
 * the nearest term before it; a term left after the clause's last opinion word takes it within
 * `opinionBackWindow` (很喜欢它的外观). A term's own default polarity (顿挫 −1) counts too; a negated
 * problem term is "not a complaint" (没有顿挫), a negated praise term a complaint (不舒服).
 * Questions and irrealis clauses are neutral.
 */
export class SentimentScorer {
  private readonly cues = new TermTrie<Cue>();
  private readonly options: ScorerOptions;
  private covered = new Uint8Array(256);

  constructor(lexicon: Lexicon, options: Partial<ScorerOptions> = {}) {
    this.options = { ...DEFAULT_SCORER_OPTIONS, ...options };
    // Insertion order = precedence for identical strings: polarity phrases first (不错 is an opinion,
    // not 不 + 错), then magnitude, negation, degree.
    // Weight 0 = a neutral word that shadows an opinion inside it (差异, 最好, 好像): no cue at all.
    for (const [w, weight] of lexicon.polarity) {
      // 好 is an opinion (动力好) and a degree adverb (好贵, 好担心): remember the second reading.
      const degree = lexicon.degree.get(w);
      this.cues.add(w, weight === 0 ? { kind: 'none' } : degree !== undefined ? { kind: 'pol', weight, degree } : { kind: 'pol', weight });
    }
    // Grammar phrases that would otherwise read as 好/差/高 … (a lexicon entry wins: added first).
    for (const w of FUNCTION_PHRASES) {
      const head = lexicon.polarity.get(w.slice(0, 1));
      this.cues.add(w, DEGREE_REVIVES.has(w) && head !== undefined && head !== 0 ? { kind: 'none', afterDegree: { kind: 'pol', weight: head } } : { kind: 'none' });
    }
    for (const w of EMOJI_POSITIVE) this.cues.add(w, { kind: 'pol', weight: 1 });
    for (const w of EMOJI_NEGATIVE) this.cues.add(w, { kind: 'pol', weight: -1 });
    for (const [w, dir] of lexicon.magnitude) this.cues.add(w, { kind: 'mag', dir });
    for (const w of lexicon.negation) this.cues.add(w, { kind: 'neg', weak: lexicon.weakNegation.has(w), absence: ABSENCE.has(w) });
    for (const [w, mult] of lexicon.degree) this.cues.add(w, { kind: 'deg', mult });
    // Emphatic adverbs before a negation (一点也不好, 根本不行, 完全没有): strong, and 一点 inside
    // 一点也 is not the softener 一点. The lexicon's own entries win (added first).
    for (const w of EMPHATIC) this.cues.add(w, { kind: 'deg', mult: 1.5 });
    this.modifiers = new Set([...lexicon.negation, ...lexicon.degree.keys()]);
  }

  /** Negators and degree adverbs, for the token check of one-character words. */
  readonly modifiers: ReadonlySet<string>;

  score(text: string, clauses: readonly Clause[], hits: readonly RawHit[], standsAlone?: (pos: number) => boolean): ScoreResult {
    const o = this.options;
    const scored: ScoredHit[] = [];
    let docScore = 0;
    // Cue words over the whole text once; a cue inside a code term does not count (the term's own
    // polarity does), nor a one-character opinion/magnitude word that is not a word (差不多, 高速).
    // Characters inside a code term: a scratch array, zeroed over the text's length.
    if (this.covered.length < text.length) this.covered = new Uint8Array(Math.max(text.length, 2 * this.covered.length));
    const covered = this.covered;
    covered.fill(0, 0, text.length);
    for (const x of hits) covered.fill(1, x.start, x.end);
    const allCues = this.cues.findAll(text, (m) => {
      for (let i = m.start; i < m.end; i++) if (covered[i] === 1) return false;
      // 13个多, 三十多, 80多: after a numeral 多/少 means "about", not a magnitude.
      if (m.value.kind === 'mag' && m.end - m.start === 1 && m.start > 0 && NUMERAL[text.charCodeAt(m.start - 1)] === 1) return false;
      if (standsAlone && m.end - m.start === 1 && (m.value.kind === 'pol' || m.value.kind === 'mag')) {
        // A clause-final adjective is a predicate even when jieba glued it to an unknown name (奇骏好).
        return standsAlone(m.start) || clauseFinal(text, m.end);
      }
      return true;
    });
    let h = 0; // index into hits (sorted by start)
    let c = 0; // index into allCues (sorted by start)
    for (const clause of clauses) {
      // The clause's hits and cues: [h0, h) and [c0, c) once those before its start are passed over.
      while (h < hits.length && (hits[h] as RawHit).start < clause.start) h++;
      const h0 = h;
      while (h < hits.length && (hits[h] as RawHit).start < clause.end) h++;
      while (c < allCues.length && (allCues[c] as Match<Cue>).start < clause.start) c++;
      const c0 = c;
      while (c < allCues.length && (allCues[c] as Match<Cue>).start < clause.end) c++;
      // Nothing to read (a third of all clauses): no hits, and a clause score of 0 adds nothing.
      if (h === h0 && c === c0) continue;
      const clauseHits = hits.slice(h0, h);
      const cues = allCues.slice(c0, c);
      // An opinion word with a degree reading right before another opinion, magnitude or code term
      // is the adverb: 好担心, 油耗好高, 好舒服.
      for (let k = 0; k < cues.length; k++) {
        const cue = cues[k] as Match<Cue>;
        if (cue.value.kind === 'none' && cue.value.afterDegree !== undefined) {
          const prev = cues[k - 1];
          if (prev !== undefined && prev.end === cue.start && prev.value.kind === 'deg') cues[k] = { ...cue, value: cue.value.afterDegree };
          continue;
        }
        if (cue.value.kind !== 'pol' || cue.value.degree === undefined) continue;
        const next = cues[k + 1];
        const nextIsOpinion = next !== undefined && next.start === cue.end && (next.value.kind === 'pol' || next.value.kind === 'mag');
        const nextIsTerm = clauseHits.some((x) => x.start === cue.end && x.leaf.defaultPolarity !== 0);
        if (nextIsOpinion || nextIsTerm) cues[k] = { ...cue, value: { kind: 'deg', mult: cue.value.degree } };
      }
      const clauseScore = this.scoreClause(clause, clauseHits, cues, scored);
      if (!clause.question && !clause.hypothetical) {
        docScore += clauseScore * (clause.contrast ? o.contrastWeight : clause.concessive ? o.concessiveWeight : 1);
      }
    }
    return {
      hits: scored,
      sentiment: { polarity: polarityOf(docScore, o.neutralBelow), score: round3(Math.tanh(docScore / 2)) },
    };
  }

  /** Scores one clause's hits (pushed to `out` in the order of `hits`); returns the clause score. */
  private scoreClause(clause: Clause, hits: readonly RawHit[], cues: readonly Match<Cue>[], out: ScoredHit[]): number {
    // Nothing to read (a third of all clauses): no hits, and 0.
    if (hits.length === 0 && cues.length === 0) return 0;
    const o = this.options;
    const nh = hits.length;
    // Hits and cues are read merged by position, a hit before a cue at the same start — what the
    // stable sort of [...hits, ...cues] gives. Both come sorted by start; input that is not gets
    // stable-sorted copies (hits by index: per-hit state is kept by index into `hits`).
    let hitsSorted = true;
    for (let i = 1; i < nh && hitsSorted; i++) if ((hits[i] as RawHit).start < (hits[i - 1] as RawHit).start) hitsSorted = false;
    let cuesSorted = true;
    for (let i = 1; i < cues.length && cuesSorted; i++) if ((cues[i] as Match<Cue>).start < (cues[i - 1] as Match<Cue>).start) cuesSorted = false;
    let order: number[] | null = null;
    if (!hitsSorted) {
      order = hits.map((_, i) => i);
      order.sort((a, b) => (hits[a] as RawHit).start - (hits[b] as RawHit).start);
    }
    const cueList = cuesSorted ? cues : [...cues].sort((a, b) => a.start - b.start);

    // Per hit (by index into `hits`): the opinions assigned to it, the modifiers right before it.
    const assigned: (Opinion[] | undefined)[] = new Array<Opinion[] | undefined>(nh);
    const preMods: (Mods | undefined)[] = new Array<Mods | undefined>(nh);
    const opinions: Opinion[] = [];
    // Terms waiting for an opinion: pending[0, np), indices into `hits`.
    const pending: number[] = [];
    let np = 0;
    let mods: Mods | null = null;
    let lastHitBefore = -1;
    let lastPolarOpinion: Opinion | undefined;
    let a = 0;
    let b = 0;
    while (a < nh || b < cueList.length) {
      const hi = a < nh ? (order === null ? a : (order[a] as number)) : -1;
      const x = hi >= 0 ? (hits[hi] as RawHit) : undefined;
      const cm = cueList[b];
      const isHit = x !== undefined && (cm === undefined || x.start <= cm.start);
      const itStart = isHit ? (x as RawHit).start : (cm as Match<Cue>).start;
      const itEnd = isHit ? (x as RawHit).end : (cm as Match<Cue>).end;
      if (isHit) a++;
      else b++;
      if (mods && itStart - mods.end > o.modifierGap && !extendsNegation(clause, mods, itStart)) mods = null;
      if (isHit) {
        const hit = x as RawHit;
        if (mods) preMods[hi] = mods;
        const def = hit.leaf.defaultPolarity;
        if (def !== 0) {
          // A term that is itself an opinion (死机, 顿挫) also judges the plain aspects waiting
          // before it: 车机常常死机 → 车机 negative. Counted once, on the term itself.
          const negated = mods !== null && mods.neg % 2 === 1;
          const op: Opinion = {
            start: itStart,
            end: itEnd,
            cue: { kind: 'pol', weight: def },
            sign: negated ? -1 : 1,
            factor: negated ? negatedTermFactor(def, mods?.weak === true, o) : (mods?.deg ?? 1),
            negated,
            fromTerm: true,
            counted: false,
          };
          for (let k = 0; k < np; k++) {
            const t = pending[k] as number;
            if ((hits[t] as RawHit).leaf.defaultPolarity !== 0 || assigned[t] !== undefined) continue;
            assigned[t] = [op];
          }
          np = 0;
        }
        mods = null;
        pending[np++] = hi;
        lastHitBefore = hi;
        continue;
      }
      const cue = (cm as Match<Cue>).value;
      if (cue.kind === 'none') {
        mods = null;
        continue;
      }
      if (cue.kind === 'neg' || cue.kind === 'deg') {
        mods ??= { start: itStart, neg: 0, weak: false, absence: false, deg: 1, end: itEnd };
        if (cue.kind === 'neg') {
          mods.neg++;
          mods.weak ||= cue.weak;
          mods.absence = cue.absence;
        } else mods.deg *= cue.mult;
        mods.end = itEnd;
        continue;
      }
      const negated = mods !== null && mods.neg % 2 === 1;
      const modsStart = mods?.start;
      const op: Opinion = {
        start: itStart,
        end: itEnd,
        cue,
        sign: negated ? -1 : 1,
        factor: (mods?.deg ?? 1) * (negated && mods?.weak ? o.weakNegationFactor : 1),
        negated,
        counted: false,
      };
      mods = null;
      opinions.push(op);
      if (cue.kind === 'pol') lastPolarOpinion = op;
      // The terms waiting before it, else the nearest term before it. 油耗太高: a magnitude word is
      // read right after its term (degree words may sit between); an opinion word within opinionWindow.
      const at = modsStart ?? itStart;
      const window = cue.kind === 'mag' ? o.magnitudeWindow : o.opinionWindow;
      const n = np > 0 ? np : lastHitBefore >= 0 ? 1 : 0;
      for (let k = 0; k < n; k++) {
        const ti = np > 0 ? (pending[k] as number) : lastHitBefore;
        const t = hits[ti] as RawHit;
        const gap = at - t.end;
        // Aspect + 比/不如 + what it is compared with + opinion: 静音比原来的轮胎好些.
        if (gap > window && !(gap <= o.comparisonWindow && COMPARATIVE.test(clause.text.slice(t.end - clause.start, at - clause.start)))) continue;
        const list = assigned[ti];
        if (list) list.push(op);
        else assigned[ti] = [op];
      }
      np = 0;
    }
    // Terms after the clause's last opinion take the nearest opinion word before them (很喜欢它的
    // 外观). Magnitude words only look forward: 大空间 is a noun phrase, not a verdict.
    if (np > 0 && lastPolarOpinion !== undefined) {
      const op = lastPolarOpinion;
      for (let k = 0; k < np; k++) {
        const t = pending[k] as number;
        if (assigned[t] === undefined && (hits[t] as RawHit).start - op.end <= o.opinionBackWindow) assigned[t] = [op];
      }
    }

    const irrealis = clause.question || clause.hypothetical;
    let clauseScore = 0;
    for (let i = 0; i < nh; i++) {
      const hit = hits[i] as RawHit;
      if (irrealis) {
        out.push({ hit, clause, sentiment: 0, intensity: 0, source: 'default' });
        continue;
      }
      let score = 0;
      let fromLexicon = false;
      const ops = assigned[i];
      if (ops !== undefined) {
        for (const op of ops) {
          const v = opinionValue(op, hit.leaf.scale);
          if (v !== 0) fromLexicon = true;
          score += v;
          if (!op.counted && op.fromTerm !== true) {
            op.counted = true;
            clauseScore += v;
          }
        }
      }
      const def = hit.leaf.defaultPolarity;
      if (def === 0 && !fromLexicon) {
        // 没有倒车影像, 没CD: "there is no <feature>" right before a plain aspect is a complaint.
        const m = preMods[i];
        if (m !== undefined && m.absence && m.neg === 1 && m.end === hit.start) {
          score += o.absenceScore;
          clauseScore += o.absenceScore;
          fromLexicon = true;
        }
      }
      if (def !== 0) {
        const m = preMods[i];
        const negated = m !== undefined && m.neg % 2 === 1;
        const negatedAfter = !negated && NEGATED_AFTER.test(clause.text.slice(hit.end - clause.start, hit.end - clause.start + 8));
        const d = negated || negatedAfter ? -def * negatedTermFactor(def, m?.weak === true, o) : def * (m?.deg ?? 1);
        if (negatedAfter) fromLexicon = true;
        if (negated) fromLexicon = true;
        score += d;
        clauseScore += d;
      }
      const sentiment = polarityOf(score, o.neutralBelow);
      out.push({
        hit,
        clause,
        sentiment,
        intensity: sentiment === 0 ? 0 : round3(Math.min(1, Math.abs(score) / 2)),
        source: fromLexicon && sentiment !== 0 ? 'lexicon' : 'default',
      });
    }
    // Opinion words with no code term still colour the document (magnitude words need an aspect).
    for (const op of opinions) {
      if (!op.counted && op.cue.kind === 'pol') clauseScore += opinionValue(op, undefined);
    }
    return irrealis ? 0 : clauseScore;
  }
}
