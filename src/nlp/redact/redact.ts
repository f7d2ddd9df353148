import type { PiiType } from '../../core/enriched-event.js';
import { isValidIdCard, luhnValid, vinCheckDigitValid } from './checksums.js';
import { DOUBLE_SURNAMES, SURNAME_CHARS } from './surnames.js';

/**
 * Typed placeholders written in place of personal data. The 〔〕 brackets (U+3014/3015) never occur
 * in code-frame terms, so the tagger can skip a placeholder as a whole (see tag/matcher.ts).
 */
export const PLACEHOLDERS: Readonly<Record<PiiType, string>> = {
  mobile: '〔手机号〕',
  landline: '〔座机号〕',
  id_card: '〔身份证号〕',
  vin: '〔车架号〕',
  plate: '〔车牌号〕',
  email: '〔邮箱〕',
  wechat: '〔微信号〕',
  qq: '〔QQ号〕',
  bank_card: '〔银行卡号〕',
  person_name: '〔姓名〕',
};

export const PLACEHOLDER_OPEN = '〔';
export const PLACEHOLDER_CLOSE = '〕';

export interface Redaction {
  type: PiiType;
  /** [start, end) in the input text. */
  start: number;
  end: number;
}

export interface RedactResult {
  text: string;
  counts: Partial<Record<PiiType, number>>;
}

interface Detector {
  type: PiiType;
  re: RegExp;
  /** Capture group holding the personal data (the rest of the match is kept), 0 = whole match. */
  group?: number;
  accept?: (value: string, text: string, start: number) => boolean;
  /** A condition without which `re` cannot match (checked on one pass over the text, see `features`). */
  gate: (f: Features) => boolean;
}

/** What the detectors' patterns need at the least, measured in one pass over the text. */
interface Features {
  /** Longest run of ASCII digits. */
  digits: number;
  /** Longest run of ASCII letters and digits. */
  alnum: number;
  letter: boolean;
  at: boolean;
  /** A character that starts a trigger word: 微/威/薇 (微信), 扣 (扣扣), 先/女/小/师/老/经/阿 (honorifics). */
  wechatChar: boolean;
  qqChar: boolean;
  honorificChar: boolean;
  /** A plate's province abbreviation (京, 沪, 粤 …). */
  provinceChar: boolean;
  /** v/V/w/W (vx, wx, v信, weixin, wechat) and q/Q (QQ, qq). */
  wechatLetter: boolean;
  qqLetter: boolean;
}

const WECHAT_CHAR = 1;
const QQ_CHAR = 2;
const HONORIFIC_CHAR = 4;
const TRIGGER = new Uint8Array(0x10000);
for (const ch of '微威薇') TRIGGER[ch.charCodeAt(0)] = WECHAT_CHAR;
TRIGGER['扣'.charCodeAt(0)] = QQ_CHAR;
for (const ch of '先女小师老经阿') TRIGGER[ch.charCodeAt(0)] = HONORIFIC_CHAR;
const PROVINCE_CHAR = 8;
const WECHAT_LETTER = 16;
const QQ_LETTER = 32;
for (const ch of 'vVwW') TRIGGER[ch.charCodeAt(0)] = WECHAT_LETTER;
for (const ch of 'qQ') TRIGGER[ch.charCodeAt(0)] = QQ_LETTER;

function features(text: string): Features {
  let digits = 0;
  let alnum = 0;
  let digitRun = 0;
  let alnumRun = 0;
  let letter = false;
  let at = false;
  let trig = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digitRun > digits) digits = digitRun;
      if (++alnumRun > alnum) alnum = alnumRun;
      continue;
    }
    digitRun = 0;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      letter = true;
      trig |= TRIGGER[c] as number;
      if (++alnumRun > alnum) alnum = alnumRun;
      continue;
    }
    alnumRun = 0;
    if (c === 0x40) at = true;
    else if (c >= 0x4e00) trig |= TRIGGER[c] as number;
  }
  return {
    digits,
    alnum,
    letter,
    at,
    wechatChar: (trig & WECHAT_CHAR) !== 0,
    qqChar: (trig & QQ_CHAR) !== 0,
    honorificChar: (trig & HONORIFIC_CHAR) !== 0,
    provinceChar: (trig & PROVINCE_CHAR) !== 0,
    wechatLetter: (trig & WECHAT_LETTER) !== 0,
    qqLetter: (trig & QQ_LETTER) !== 0,
  };
}

const NB = '(?<![0-9A-Za-z])'; // not preceded by an ASCII letter or digit
const NA = '(?![0-9A-Za-z])'; // not followed by one

function digitsOnly(s: string): string {
  return s.replace(/[^0-9Xx]/g, '');
}

// Words that announce a number as a telephone number (for landlines written without a separator).
const PHONE_CONTEXT = /(电话|座机|致电|拨打|打|联系|热线|tel|Tel|TEL|号码)[:：\s]*$/;
const VIN_CONTEXT = /(车架号|车架|VIN|vin|底盘号|识别码|识别代码)[码号]?[:：\s是为]*$/;
const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
for (const ch of PLATE_PROVINCES) TRIGGER[ch.charCodeAt(0)] = (TRIGGER[ch.charCodeAt(0)] as number) | PROVINCE_CHAR;

const DETECTORS: Detector[] = [
  // Starts only at the beginning of a run of local-part characters: without the lookbehind a long
  // run with no @ is rescanned from every position (quadratic on a 20,000-character record).
  { type: 'email', gate: (f) => f.at, re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])/g },
  {
    // 18 digits (last may be X) with a valid birth date and MOD 11-2 check character.
    type: 'id_card',
    gate: (f) => f.digits >= 4,
    // Written whole or grouped 6-8-4 with spaces/dashes (110105 19491231 002X).
    re: new RegExp(`${NB}[1-9]\\d{5}[ -]?(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])[ -]?\\d{3}[0-9Xx]${NA}`, 'g'),
    accept: (v) => isValidIdCard(v.replace(/[ -]/g, '')),
  },
  {
    // 16–19 digits, optionally in groups of four; Luhn-valid; issuer digit 3–6 (Amex, Visa, MC, UnionPay).
    type: 'bank_card',
    gate: (f) => f.digits >= 4,
    re: new RegExp(`${NB}[3-6]\\d{3}(?:[ -]?\\d{3,4}){3,4}${NA}`, 'g'),
    accept: (v) => {
      const d = digitsOnly(v);
      return d.length >= 16 && d.length <= 19 && luhnValid(d);
    },
  },
  {
    // Mainland mobile: optional +86/0086, 1[3-9]x, then 8 digits in any 3-4-4 grouping of spaces/dashes.
    type: 'mobile',
    gate: (f) => f.digits >= 4,
    re: new RegExp(`(?<![0-9])(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?![0-9])`, 'g'),
  },
  {
    // Landline: area code 0xx/0xxx (optionally in brackets) + 7–8 digits, optional extension.
    type: 'landline',
    gate: (f) => f.digits >= 4,
    re: new RegExp(`${NB}(?:\\(0\\d{2,3}\\)|0\\d{2,3})[ -]?(?:\\d{7,8}|\\d{3,4}[ -]\\d{4})(?:-\\d{1,4})?(?![0-9])`, 'g'),
    accept: (v, text, start) => /[ ()-]/.test(v) || PHONE_CONTEXT.test(text.slice(Math.max(0, start - 8), start)),
  },
  {
    // VIN: 17 characters without I, O, Q. See README for the acceptance rule.
    type: 'vin',
    gate: (f) => f.alnum >= 17,
    re: new RegExp(`${NB}[A-HJ-NPR-Za-hj-npr-z0-9]{17}${NA}`, 'g'),
    accept: (v, text, start) => {
      if (!/[A-Za-z]/.test(v) || !/[0-9]/.test(v)) return false;
      if (VIN_CONTEXT.test(text.slice(Math.max(0, start - 10), start))) return true;
      if (vinCheckDigitValid(v)) return true;
      // ISO 3779: makers of ≥ 500 vehicles a year end the VIN with four digits; plus a letter in the WMI.
      return /[0-9]{4}$/.test(v) && /[A-Za-z]/.test(v.slice(0, 3));
    },
  },
  {
    // Plate: province abbreviation + letter (no I/O) + 5 (petrol) or 6 (new energy) characters,
    // or 4 + 学/警/挂/港/澳. Needs at least two digits so product names such as 新ATS-L survive.
    type: 'plate',
    gate: (f) => f.letter && f.provinceChar,
    re: new RegExp(`[${PLATE_PROVINCES}][A-HJ-NP-Za-hj-np-z][·・\\s-]?(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[学警挂港澳])${NA}`, 'g'),
    accept: (v) => (v.slice(2).match(/[0-9]/g)?.length ?? 0) >= 2,
  },
  {
    // WeChat id after 微信/vx/wx: 6–20 characters starting with a letter, or a phone-like number.
    type: 'wechat',
    gate: (f) => f.wechatLetter || f.wechatChar,
    re: /(?:微信|威信|薇信|v信|V信|vx|VX|Vx|wx|WX|weixin|wechat|WeChat)(号|id|ID)?(?:[:：]|是|为|\s)*([A-Za-z][-_A-Za-z0-9]{5,19}|\d{6,11})(?![-_A-Za-z0-9])/g,
    group: 2,
    accept: (v, text, start) => /[0-9_-]/.test(v) || /(号|id|ID|[:：是为])\s*$/.test(text.slice(Math.max(0, start - 3), start)),
  },
  {
    type: 'qq',
    gate: (f) => f.qqLetter || f.qqChar,
    re: /(?:QQ|qq|扣扣)(?:号|号码)?(?:[:：]|是|为|\s)*([1-9]\d{4,10})(?![0-9])/g,
    group: 1,
  },
  {
    // Honorific forms: surname + 先生/女士/小姐/师傅/老师/经理/阿姨. Bare given names are not detected.
    type: 'person_name',
    gate: (f) => f.honorificChar,
    re: new RegExp(`(?:${DOUBLE_SURNAMES.join('|')}|[${SURNAME_CHARS}])(?:先生|女士|小姐|师傅|老师|经理|阿姨)`, 'g'),
  },
];

/** Find personal data; spans never overlap (earlier detectors win, then the longer match). */
export function findPii(text: string): Redaction[] {
  // Each pattern runs only when the text has what it needs at the least (most texts: none).
  const f = features(text);
  if (f.digits < 4 && !f.letter && !f.at && !f.honorificChar && !f.wechatChar && !f.qqChar) return [];
  const found: Redaction[] = [];
  for (const d of DETECTORS) {
    if (!d.gate(f)) continue;
    d.re.lastIndex = 0;
    for (let m = d.re.exec(text); m !== null; m = d.re.exec(text)) {
      const value = d.group ? m[d.group] : m[0];
      if (value === undefined || value.length === 0) continue;
      const start = d.group ? m.index + m[0].length - value.length : m.index;
      const end = start + value.length;
      if (d.accept && !d.accept(value, text, start)) {
        // Let a shorter match start inside a rejected one (e.g. a phone inside a longer digit run).
        d.re.lastIndex = m.index + 1;
        continue;
      }
      if (found.some((r) => start < r.end && end > r.start)) continue;
      found.push({ type: d.type, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Replace personal data with typed placeholders and count them per type. */
export function redactText(text: string): RedactResult {
  const spans = findPii(text);
  if (spans.length === 0) return { text, counts: {} };
  const counts: Partial<Record<PiiType, number>> = {};
  let out = '';
  let pos = 0;
  for (const r of spans) {
    out += text.slice(pos, r.start) + PLACEHOLDERS[r.type];
    pos = r.end;
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  out += text.slice(pos);
  return { text: out, counts };
}
