import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, FeedbackEventSchema, type Channel } from '../core/feedback-event.js';
import type { ParseOutcome } from './connector.js';
import { connectorRegistry, readChannelFile } from './registry.js';
import { ownWords } from './social/parse.js';
import { collect, testContext, testPseudonymizer } from './test-helpers.js';

/** Field names the parsers look for (canonical and alias), so that random records get past the first checks. */
const FIELD_NAMES = [
  'callId', 'startTime', 'endTime', 'hotline', 'callerNumber', 'agentId', 'turns', 'intent', 'vehicle', 'consent',
  '工单号', '创建时间', '问题描述', '联系电话', '共创意愿',
  'responseId', 'submittedAt', 'nps', 'csat', 'answers', 'respondent', 'dealerCode', 'Q1 您最满意的地方是？',
  'msgid', 'msgtime', 'msgtype', 'from', 'roomid', 'action', 'text', 'type', 'postId', 'commentId', 'userId', 'createdAt', 'title', 'content',
  'platform', 'url', 'authorId', 'publishedAt', 'isRepost', 'rating', 'likes',
  '经销商代码', '维修工单号', '车架号', '客户评价', '结算时间', '评分', '客户电话',
];

const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', '👍👍', '[赞]', '2024-03-12 09:15:02', '2024-02-30 10:00', '1712030405123', 'text', 'image', 'recall', 'customer', 'agent', 'weibo', 'ptt', '是', '否', '9', '11', 'NaN', '//@a: b', '長'.repeat(20_001)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const nested = fc.oneof(
  scalar,
  fc.array(fc.record({ role: scalar, text: scalar, question: scalar, questionId: scalar }, { requiredKeys: [] }), { maxLength: 4 }),
  fc.record({ content: scalar, series: scalar, openid: scalar, coCreation: scalar }, { requiredKeys: [] }),
);
const plausibleRecord = fc.dictionary(fc.constantFrom(...FIELD_NAMES), nested, { maxKeys: 14 });
const anyInput = fc.oneof(fc.anything(), fc.jsonValue(), plausibleRecord);
const csvRow = fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.oneof(fc.string(), fc.constantFrom('', '2024-03-12 09:15:02', '9', 'text', '是', '👍'))));

function checkOutcomes(outcomes: ParseOutcome[], position: string, channel: Channel): void {
  expect(outcomes.length).toBeGreaterThanOrEqual(1);
  for (const o of outcomes) {
    if (o.kind === 'event') {
      expect(FeedbackEventSchema.safeParse(o.event).success).toBe(true);
      expect(o.event.channel).toBe(channel);
      expect(o.position).toBe(position);
    } else if (o.kind === 'dead_letter') {
      expect(o.letter.position).toBe(position);
      expect(o.letter.channel).toBe(channel);
      expect(o.letter.reason.length).toBeGreaterThan(0);
    } else {
      expect(o.kind).toBe('skipped');
      expect(o.reason.length).toBeGreaterThan(0);
    }
  }
}

describe.each(CHANNELS)('%s parsers never throw', (channel) => {
  const def = connectorRegistry[channel];

  it('parseRecord: any input → at least one outcome, each valid', () => {
    const ctx = testContext(channel);
    fc.assert(
      fc.property(anyInput, fc.nat(), (raw, n) => {
        const position = `prop.json:${n}`;
        checkOutcomes(def.parseRecord(raw, position, ctx as never), position, channel);
      }),
      { numRuns: 400 },
    );
  });

  it('parseCsvRow: any row → at least one outcome, each valid', () => {
    const parseCsvRow = 'parseCsvRow' in def ? def.parseCsvRow : undefined;
    if (!parseCsvRow) return;
    const ctx = testContext(channel);
    fc.assert(
      fc.property(csvRow, fc.nat(), (row, n) => {
        const position = `prop.csv:${n}`;
        checkOutcomes(parseCsvRow(row, position, ctx as never), position, channel);
      }),
      { numRuns: 300 },
    );
  });
});

/** A valid record per channel with the text field left open. */
const TEMPLATES: Record<Channel, (text: string, id: string) => unknown> = {
  hotline: (text, id) => ({ callId: id, startTime: '2024-03-12 09:15:02', callerNumber: '13812345678', agentId: 'A1', turns: [{ role: 'agent', text: '您好' }, { role: 'customer', text }] }),
  survey: (text, id) => ({ responseId: id, submittedAt: '2024-04-02T10:11:12+08:00', nps: 9, answers: [{ questionId: 'q1', question: '建议？', text }] }),
  private_domain: (text, id) => ({ msgid: id, from: 'wmAbc', roomid: 'wr1', msgtime: 1712030405123, msgtype: 'text', text: { content: text } }),
  social: (text, id) => ({ platform: 'weibo', postId: id, authorId: 'u1', publishedAt: '2024-04-10 08:12:00', content: text }),
  dealer: (text, id) => ({ dealer_code: 'SH021', order_no: id, vin: 'LSJW74U39PZ208361', customer_comment: text, closed_at: '2024-04-01 17:30:00', rating: '4' }),
};

describe.each(CHANNELS)('%s: a valid record with any text', (channel) => {
  it('is an event with the trimmed text, or a counted skip, or TEXT_TOO_LONG — nothing else', () => {
    const def = connectorRegistry[channel];
    const ctx = testContext(channel);
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ minLength: 19_990, maxLength: 20_010 }), fc.constantFrom('a//@b: c', '//@b: c', ' 好 '));
    fc.assert(
      fc.property(text, fc.uuid(), (t, id) => {
        const out = def.parseRecord(TEMPLATES[channel](t, id), 'p', ctx as never);
        expect(out).toHaveLength(1);
        const o = out[0] as ParseOutcome;
        // Social keeps a repost's own words only (before "//@").
        const published = channel === 'social' ? ownWords(t).own : t;
        if (o.kind === 'event') expect(o.event.text).toBe(published.replace(/^[\s\uFEFF]+|[\s\uFEFF]+$/g, ''));
        else if (o.kind === 'skipped') expect(['empty_text', 'emoji_only', 'duplicate']).toContain(o.reason);
        else expect(o.letter.code).toBe('TEXT_TOO_LONG');
      }),
      { numRuns: 300 },
    );
  });
});

describe('file reading never throws on malformed files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voc-prop-'));
  let n = 0;

  it('JSON Lines: every non-blank line yields at least one outcome', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.array(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.string().filter((s) => !s.includes('\n') && !s.includes('\r'))), { maxLength: 8 }), async (channel, lines) => {
        const path = join(dir, `f${(n += 1)}.jsonl`);
        writeFileSync(path, lines.join('\n'));
        const out = await collect(readChannelFile(channel, path, { pseudonymizer: testPseudonymizer() }));
        const records = lines.filter((l) => l.trim() !== '').length;
        expect(out.length).toBeGreaterThanOrEqual(records);
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes as JSON, JSON Lines or CSV', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.constantFrom('json', 'jsonl', 'csv'), fc.uint8Array({ maxLength: 2000 }), async (channel, ext, bytes) => {
        const path = join(dir, `r${(n += 1)}.${ext}`);
        writeFileSync(path, bytes);
        const out = await collect(readChannelFile(channel, path, { pseudonymizer: testPseudonymizer(), format: ext === 'csv' && channel === 'social' ? 'jsonl' : undefined }));
        for (const o of out) expect(['event', 'dead_letter', 'skipped']).toContain(o.kind);
      }),
      { numRuns: 80 },
    );
  });

  it('structurally broken JSON documents', async () => {
    const fragment = fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', ':', '"a"', '1', 'true', '\n', ' ', '{"msgid":"1","msgtype":"text"}', '长');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.array(fragment, { maxLength: 40 }), async (channel, parts) => {
        const path = join(dir, `j${(n += 1)}.json`);
        writeFileSync(path, parts.join(''));
        const out = await collect(readChannelFile(channel, path, { pseudonymizer: testPseudonymizer() }));
        for (const o of out) expect(['event', 'dead_letter', 'skipped']).toContain(o.kind);
      }),
      { numRuns: 150 },
    );
  });
});
