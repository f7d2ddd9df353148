import { describe, expect, it } from 'vitest';
import { readChannelFile } from '../registry.js';
import { collect, events, kinds, only, testContext, testPseudonymizer, FIXED_NOW } from '../test-helpers.js';
import { npsClass, parseCsvRow, parseRecord } from './parse.js';

const payload = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  responseId: 'R-1',
  surveyId: 'SV-1',
  submittedAt: '2024-04-02T10:11:12+08:00',
  respondent: { openid: 'oK3x_5Vb8Jq2LmN0pQrStUvWxYz1', phone: '13811112222' },
  nps: 6,
  csat: 3,
  dealerCode: 'SH021',
  vehicle: { series: '星海S7', modelYear: 2024 },
  answers: [
    { questionId: 'q1', question: '最满意？', text: '续航好。' },
    { questionId: 'q2', question: '最不满意？', text: '' },
    { questionId: 'q3', question: '建议？', text: '希望增加后排出风口。' },
  ],
  ...over,
});

describe('survey webhook', () => {
  it('makes one event per non-empty answer with question, ratings and NPS class', () => {
    const ctx = testContext('survey');
    const evs = events(parseRecord(payload(), 'hook:1', ctx));
    expect(evs.map((e) => e.text)).toEqual(['续航好。', '希望增加后排出风口。']);
    expect(evs.map((e) => e.sourceId)).toEqual(['R-1:q1', 'R-1:q3']);
    expect(evs[0]?.context).toMatchObject({ question: '最满意？', ratings: { nps: 6, csat: 3 }, npsClass: 'detractor', dealerCode: 'SH021', vehicleSeries: '星海S7' });
    expect(evs[0]?.authorKey).toBe(testPseudonymizer().pseudonymize('openid', 'oK3x_5Vb8Jq2LmN0pQrStUvWxYz1'));
    expect(new Set(evs.map((e) => e.id)).size).toBe(2);
  });

  it('classifies NPS', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsClass)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect(npsClass(undefined)).toBeUndefined();
  });

  it('skips a scores-only response and an emoji-only answer, counted', () => {
    const ctx = testContext('survey');
    expect(kinds(parseRecord(payload({ answers: [] }), 'p', ctx))).toEqual(['skipped:no_open_answer']);
    expect(kinds(parseRecord(payload({ answers: [{ questionId: 'q', text: '👎👎' }] }), 'p', ctx))).toEqual(['skipped:emoji_only']);
  });

  it('dead-letters out-of-range scores, missing ids and bad dates', () => {
    const ctx = testContext('survey');
    expect(kinds(parseRecord(payload({ nps: 11 }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseRecord(payload({ csat: 0 }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseRecord(payload({ responseId: '' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseRecord(payload({ submittedAt: 'soon' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
  });

  it('dead-letters an over-long answer but keeps the others', () => {
    const ctx = testContext('survey');
    const out = parseRecord(payload({ answers: [{ questionId: 'a', text: '好' }, { questionId: 'b', text: 'x'.repeat(20_001) }] }), 'p', ctx);
    expect(kinds(out)).toEqual(['event', 'dead_letter:TEXT_TOO_LONG']);
  });
});

describe('survey CSV', () => {
  const row = (over: Record<string, string> = {}): Record<string, string> => ({
    答卷编号: '10231',
    提交答卷时间: '2024/4/8 20:13:45',
    推荐意愿: '9',
    满意度: '5',
    经销商代码: 'HZ003',
    手机号: '13566778899',
    来源IP: '115.236.12.45',
    '填写人姓名': '张三',
    'Q1 您最满意的地方是？': '續航很紮實。',
    '2、您最不满意的地方是？': '后排地板凸起。',
    ...over,
  });

  it('takes open answers from marked columns only, with the header as the question', () => {
    const ctx = testContext('survey');
    const evs = events(parseCsvRow(row(), 'r.csv:2', ctx));
    expect(evs.map((e) => [e.context.question, e.text])).toEqual([
      ['您最满意的地方是？', '續航很紮實。'],
      ['您最不满意的地方是？', '后排地板凸起。'],
    ]);
    expect(evs.map((e) => e.sourceId)).toEqual(['10231:q1', '10231:q2']);
    const all = JSON.stringify(evs);
    for (const raw of ['115.236.12.45', '张三', '13566778899']) expect(all).not.toContain(raw);
  });

  it('follows a configured open-answer pattern', () => {
    const ctx = testContext('survey', { openAnswerColumnPattern: '^开放题[:：]' });
    const evs = events(parseCsvRow({ 答卷编号: '1', 提交答卷时间: '2024-04-08 20:13:45', '开放题：还有什么建议': '多开几家店' }, 'p', ctx));
    expect(only(evs).context.question).toBe('还有什么建议');
  });

  it('reads the example CSV and webhook JSONL', async () => {
    const out = await collect(readChannelFile('survey', 'examples/survey', { pseudonymizer: testPseudonymizer(), now: () => FIXED_NOW }));
    expect(kinds(out)).toEqual([
      'event', 'event', 'event', 'event', 'event', 'skipped:no_open_answer', 'dead_letter:TIMESTAMP_INVALID',
      'event', 'event', 'event', 'event', 'skipped:no_open_answer', 'dead_letter:RECORD_INVALID', 'dead_letter:JSON_SYNTAX',
    ]);
  });
});
