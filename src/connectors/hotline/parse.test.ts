import { describe, expect, it } from 'vitest';
import { FeedbackEventSchema, eventId } from '../../core/feedback-event.js';
import { readChannelFile } from '../registry.js';
import { collect, events, kinds, only, testContext, testPseudonymizer, FIXED_NOW } from '../test-helpers.js';
import { inferIntent, parseCsvRow, parseRecord, parseTranscript } from './parse.js';

const transcript = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  callId: 'CALL-1',
  startTime: '2024-03-12 09:15:02',
  endTime: '2024-03-12 09:16:02',
  hotline: '400-820-8888',
  callerNumber: '13812345678',
  agentId: 'A10245',
  turns: [
    { role: 'agent', start: 0, end: 3, text: '您好，请报一下手机号13812345678和车架号LSJW74U39PZ208361，我帮您登记投诉。' },
    { role: 'customer', start: 3, end: 9, text: '车机总是黑屏。' },
    { role: 'customer', start: 10, end: 12, text: '很危险。' },
  ],
  ...over,
});

describe('hotline transcript', () => {
  it('publishes only the customer turns, with pseudonymised caller and agent', () => {
    const ctx = testContext('hotline');
    const ev = only(events(parseTranscript(transcript(), 'f.json:1', ctx)));
    expect(FeedbackEventSchema.parse(ev)).toEqual(ev);
    expect(ev.text).toBe('车机总是黑屏。\n很危险。');
    expect(ev.id).toBe(eventId('hotline', 'hotline.transcript', 'CALL-1'));
    expect(ev.occurredAt).toBe('2024-03-12T09:15:02.000+08:00');
    expect(ev.receivedAt).toBe(FIXED_NOW.toISOString());
    expect(ev.authorKey).toBe(testPseudonymizer().pseudonymize('phone', '13812345678'));
    expect(ev.context.agentKey).toBe(testPseudonymizer().pseudonymize('agent', 'A10245'));
    expect(ev.context.intent).toBe('complaint');
    expect(ev.context.extra).toMatchObject({ customerTurns: 2, agentTurns: 1, durationSec: 60 });
    const nonText = JSON.stringify({ ...ev, text: undefined });
    for (const raw of ['13812345678', 'A10245', 'LSJW74U39PZ208361', '手机号']) expect(nonText).not.toContain(raw);
  });

  it('gives the same caller the same key however the number is written', () => {
    const ctx = testContext('hotline');
    const a = only(events(parseTranscript(transcript({ callerNumber: '+86 138-1234-5678' }), 'p', ctx)));
    const b = only(events(parseTranscript(transcript({ callerNumber: '13812345678' }), 'p', ctx)));
    expect(a.authorKey).toBe(b.authorKey);
  });

  it('accepts snake_case and alias keys and Traditional Chinese text', () => {
    const ctx = testContext('hotline', { hotlineRegions: { '85230018888': 'HK' } });
    const raw = {
      call_id: 'HK-1',
      start_time: '2024-03-15T14:02:11+08:00',
      hotline_number: '852-3001-8888',
      caller_number: '+852 9123 4567',
      turns: [{ speaker: 'customer', offset: 1, content: '部車嘅冷氣唔夠凍。' }],
    };
    const ev = only(events(parseTranscript(raw, 'p', ctx)));
    expect(ev.text).toBe('部車嘅冷氣唔夠凍。');
    expect(ev.context.region).toBe('HK');
  });

  it('skips a call where the customer said nothing, and emoji-only text', () => {
    const ctx = testContext('hotline');
    expect(kinds(parseTranscript(transcript({ turns: [{ role: 'agent', text: '您好？' }, { role: 'customer', text: '  ' }] }), 'p', ctx))).toEqual(['skipped:empty_text']);
    expect(kinds(parseTranscript(transcript({ turns: [{ role: 'customer', text: '👍👍 ！' }] }), 'p', ctx))).toEqual(['skipped:emoji_only']);
  });

  it('dead-letters malformed transcripts with their position', () => {
    const ctx = testContext('hotline');
    const noId = parseTranscript(transcript({ callId: undefined }), 'calls.json:7', ctx);
    expect(kinds(noId)).toEqual(['dead_letter:RECORD_INVALID']);
    const letter = noId[0]?.kind === 'dead_letter' ? noId[0].letter : undefined;
    expect(letter).toMatchObject({ position: 'calls.json:7', source: 'hotline.transcript', channel: 'hotline', stage: 'parse' });
    expect(kinds(parseTranscript(transcript({ startTime: '2024-02-30 10:00:00' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
    expect(kinds(parseTranscript(transcript({ turns: 'not turns' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseTranscript(['array'], 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
  });

  it('dead-letters over-long text instead of cutting it', () => {
    const ctx = testContext('hotline');
    const out = parseTranscript(transcript({ turns: [{ role: 'customer', text: '长'.repeat(20_001) }] }), 'p', ctx);
    expect(kinds(out)).toEqual(['dead_letter:TEXT_TOO_LONG']);
  });

  it('infers intent from agent turns without publishing them', () => {
    expect(inferIntent(['我马上为您安排道路救援。'])).toBe('rescue');
    expect(inferIntent(['好的，请稍等。'])).toBeUndefined();
  });
});

describe('hotline work order', () => {
  const row = (over: Record<string, string> = {}): Record<string, string> => ({
    工单号: 'WO1',
    创建时间: '2024/03/14 16:40',
    工单类别: '投诉-质量',
    问题描述: '右后门异响。',
    处理结果: '已联系客户王先生13812345678',
    状态: '处理中',
    联系电话: '13812345678',
    坐席工号: 'A1',
    车架号: 'LSJW74U36RZ110027',
    共创意愿: '是',
    ...over,
  });

  it('publishes the description, never the resolution, with consent kept', () => {
    const ctx = testContext('hotline');
    const ev = only(events(parseCsvRow(row(), 'wo.csv:2', ctx)));
    expect(ev.text).toBe('右后门异响。');
    expect(ev.occurredAt).toBe('2024-03-14T16:40:00.000+08:00');
    expect(ev.context.intent).toBe('投诉-质量');
    expect(ev.consent.coCreation).toBe(true);
    expect(JSON.stringify(ev)).not.toContain('王先生');
    expect(JSON.stringify(ev)).not.toContain('LSJW74U36RZ110027');
  });

  it('routes a JSON work order by its shape', () => {
    const ctx = testContext('hotline');
    const ev = only(events(parseRecord({ ticket_id: 'WO2', created_at: '2024-03-14 10:00:00', description: '充电慢' }, 'p', ctx)));
    expect(ev.source).toBe('hotline.work_order');
  });

  it('skips an empty description and dead-letters a bad date or a bad consent flag', () => {
    const ctx = testContext('hotline');
    expect(kinds(parseCsvRow(row({ 问题描述: '' }), 'p', ctx))).toEqual(['skipped:empty_text']);
    expect(kinds(parseCsvRow(row({ 创建时间: '昨天' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
    expect(kinds(parseCsvRow(row({ 共创意愿: '也许' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
  });
});

describe('hotline example files', () => {
  it('reads the transcripts and the work-order CSV with positions', async () => {
    const out = await collect(readChannelFile('hotline', 'examples/hotline', { pseudonymizer: testPseudonymizer(), now: () => FIXED_NOW }));
    expect(kinds(out)).toEqual([
      'event',
      'event',
      'event',
      'skipped:empty_text',
      'dead_letter:RECORD_INVALID',
      'dead_letter:TIMESTAMP_INVALID',
      'event',
      'event',
      'event',
      'event',
      'skipped:empty_text',
      'event',
      'dead_letter:CSV_COLUMN_COUNT',
      'dead_letter:TIMESTAMP_INVALID',
    ]);
    const positions = out.map((o) => (o.kind === 'dead_letter' ? o.letter.position : o.position));
    expect(positions).toContain('examples/hotline/work-orders.csv:8');
    expect(positions).toContain('examples/hotline/transcripts.json:63');
  });

  it('gives the same ids on a second read (idempotent replay)', async () => {
    const read = async (): Promise<string[]> =>
      events(await collect(readChannelFile('hotline', 'examples/hotline', { pseudonymizer: testPseudonymizer() }))).map((e) => e.id);
    expect(await read()).toEqual(await read());
  });
});
