import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { generateEvent } from '../../../scripts/gen-corpus.js';
import { normalizeText } from '../normalize/normalize.js';
import { redactText } from '../redact/redact.js';
import { fixtureFrame } from '../tag/fixture-frame.js';
import { Tagger } from '../tag/tagger.js';
import { dictionaryWords, fuzzText, rng } from './jieba-fuzz.js';
import { JiebaCutter, lnRounded } from './jieba-js.js';
import { userDictionary } from './segmenter.js';

// The reference: @node-rs/jieba 2.0.3 (jieba-rs 0.10.3) with the same dictionaries. The user
// dictionary has the fixture frame's terms plus words the default dictionary already has (their
// frequency is replaced and the total re-summed, as jieba-rs does).
const terms = [...new Tagger(fixtureFrame()).terms, '价格', '空间', '油耗', '不错', '4S店', 'C++'];
const user = userDictionary(terms);
const native = Jieba.withDict(dict);
native.loadDict(Buffer.from(user, 'utf8'));
const js = JiebaCutter.withDict(dict);
js.loadDict(user);

function expectSameCuts(texts: readonly string[]): void {
  const diffs: { text: string; native: string[]; js: string[] }[] = [];
  for (const text of texts) {
    const a = native.cut(text, true);
    const b = js.cut(text);
    if (a.length !== b.length || a.some((t, i) => t !== b[i])) diffs.push({ text, native: a, js: b });
  }
  expect(diffs.slice(0, 5)).toEqual([]);
  expect(diffs.length).toBe(0);
}

describe('JiebaCutter (TypeScript jieba-rs) against @node-rs/jieba', () => {
  it('cuts corpus texts exactly as jieba-rs, raw and normalised + redacted', () => {
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = generateEvent(7, i).event.text;
      if (typeof text !== 'string') continue;
      texts.push(text, redactText(normalizeText(text).text).text);
    }
    expectSameCuts(texts);
  });

  it('cuts random mixtures of dictionary words, ideographs and every character class exactly as jieba-rs', () => {
    const random = rng(8);
    const words = [...dictionaryWords(Buffer.from(dict).toString('utf8')), ...terms, ...terms];
    const texts: string[] = [];
    for (let i = 0; i < 6000; i++) texts.push(fuzzText(random, words));
    expectSameCuts(texts);
  });

  it('cuts edge cases exactly as jieba-rs', () => {
    expectSameCuts([
      '',
      ' ',
      '\r\n',
      '\r\r\n\n',
      'a',
      '。',
      '我们中出了一个叛徒',
      '南京市长江大桥',
      '他来到了网易杭研大厦',
      '小明硕士毕业于中国科学院计算所，后在日本京都大学深造',
      '油耗7.5L/100km，百公里加速6.9秒，续航500km+，比上一代好了20%',
      'abc.123 x.5% 1.2.3 a-b_c+d#e&f',
      '𠀀𠀁𠀂我们😀😀〔手机号〕〔姓名〕先生',
      '鿖鿗鿘龥㐀㐁豈更',
      'ＡＢＣ１２３，全角字符',
      '低速拨箱有顿挫，给油没反应，胎噪风噪大，续航掉电快，去4S店装充电桩，车机有异响',
    ]);
  });

  it('replaces the frequency of a word loaded again and re-sums the total (load_dict)', () => {
    const small = '南京 10\n市长 300\n长江 10\n大桥 10\n南京市 9\n江大桥 1\n的 1000\n';
    const a = JiebaCutter.withDict(small);
    const b = Jieba.withDict(Buffer.from(small));
    expect(a.cut('南京市长江大桥')).toEqual(['南京', '市长', '江大桥']);
    expect(b.cut('南京市长江大桥', true)).toEqual(['南京', '市长', '江大桥']);
    a.loadDict('市长 1\n+ 5'); // "+" is a word (frequency 5)
    b.loadDict(Buffer.from('市长 1\n+ 5'));
    expect(a.size).toBe(8);
    expect(a.cut('南京市长江大桥')).toEqual(['南京市', '长江', '大桥']);
    expect(b.cut('南京市长江大桥', true)).toEqual(['南京市', '长江', '大桥']);
    expect(() => a.loadDict('词 x1')).toThrow(/line 1 .*frequency x1 is not a valid integer/);
  });

  it('gives the same cuts after growing its table from a small start', () => {
    const part = Buffer.from(dict).toString('utf8').split('\n').slice(0, 30000).join('\n');
    const grown = new JiebaCutter(16);
    grown.loadDict(part);
    const reference = Jieba.withDict(Buffer.from(part, 'utf8'));
    const random = rng(9);
    const words = dictionaryWords(part);
    for (let i = 0; i < 500; i++) {
      const text = fuzzText(random, words);
      expect(grown.cut(text), text).toEqual(reference.cut(text, true));
    }
  });

  it('breaks route ties towards the longer word, as jieba-rs does', () => {
    // Frequency 0: every route through these words scores −∞, so all routes tie.
    const small = '甲 0\n乙 0\n甲乙 0\n丙 1\n';
    const a = JiebaCutter.withDict(small);
    const b = Jieba.withDict(Buffer.from(small));
    expect(b.cut('甲乙丙', true)).toEqual(['甲乙', '丙']);
    expect(a.cut('甲乙丙')).toEqual(['甲乙', '丙']);
  });

  it('computes ln as glibc does (correctly rounded), where Math.log is one ulp off', () => {
    const bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint;
    // glibc's log(3) and log(48), as Rust's f64::ln gives them on x86-64 Linux.
    expect(bits(lnRounded(3))).toBe(4607626529066517259n);
    expect(bits(lnRounded(48))).toBe(4615899588515117941n);
    expect(bits(Math.log(3))).not.toBe(4607626529066517259n);
    expect(lnRounded(1)).toBe(0);
    expect(lnRounded(0)).toBe(-Infinity);
  });
});
