import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readChannelFile } from '../registry.js';
import { collect, events, kinds, only, testContext, testPseudonymizer } from '../test-helpers.js';
import { normaliseVin, parseCsvRow } from './parse.js';

const row = (over: Record<string, string> = {}): Record<string, string> => ({
  经销商代码: 'SH021',
  维修工单号: 'RO-SH021-240401-0012',
  车架号: 'LSJW74U39PZ208361',
  车牌号: '沪A·D12345',
  服务类型: '首保',
  客户评价: '洗车很干净，就是等得久。',
  顾问备注: '客户王先生138****5678',
  结算时间: '2024-04-01 17:30:00',
  评分: '4',
  客户电话: '13812345678',
  服务顾问工号: 'SA021-07',
  客户姓名: '王建国',
  行驶里程: '12480',
  ...over,
});

describe('dealer service orders', () => {
  it('never publishes VIN, order number, plate, name or advisor note; keeps the dealer code', () => {
    const ctx = testContext('dealer', { dealerRegions: { SH021: '华东' } });
    const ev = only(events(parseCsvRow(row(), 'so.csv:2', ctx)));
    expect(ev.sourceId).toBe(testPseudonymizer().pseudonymize('dealer_order', 'SH021:RO-SH021-240401-0012'));
    expect(ev.context).toMatchObject({ dealerCode: 'SH021', region: '华东', ratings: { stars: 4 }, intent: '首保', extra: { hasAdvisorNote: true, mileageKm: 12000 } });
    expect(ev.authorKey).toBe(testPseudonymizer().pseudonymize('phone', '13812345678'));
    const all = JSON.stringify(ev);
    for (const raw of ['LSJW74U39PZ208361', 'RO-SH021-240401-0012', 'D12345', '王', '13812345678', 'SA021-07', '138****5678']) expect(all).not.toContain(raw);
  });

  it('falls back to the VIN for the author, whatever its spelling', () => {
    const ctx = testContext('dealer');
    const a = only(events(parseCsvRow(row({ 客户电话: '', 车架号: 'lsjw74u39pz208361' }), 'p', ctx)));
    const b = only(events(parseCsvRow(row({ 客户电话: '', 车架号: 'LSJW 74U3 9PZ2 08361' }), 'p', ctx)));
    expect(a.authorKey).toBe(b.authorKey);
    expect(normaliseVin('lsjw-74u')).toBe('LSJW74U');
  });

  it('converts a 10- or 100-point rating to stars', () => {
    expect(only(events(parseCsvRow(row({ 评分: '90' }), 'p', testContext('dealer', { ratingScale: 100 })))).context.ratings).toEqual({ stars: 4.5 });
    expect(only(events(parseCsvRow(row({ 评分: '7' }), 'p', testContext('dealer', { ratingScale: 10 })))).context.ratings).toEqual({ stars: 3.5 });
  });

  it('skips empty or punctuation-only comments, dead-letters bad rows', () => {
    const ctx = testContext('dealer');
    expect(kinds(parseCsvRow(row({ 客户评价: '' }), 'p', ctx))).toEqual(['skipped:empty_text']);
    expect(kinds(parseCsvRow(row({ 客户评价: '？？？……' }), 'p', ctx))).toEqual(['skipped:emoji_only']);
    expect(kinds(parseCsvRow(row({ 维修工单号: '' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseCsvRow(row({ 经销商代码: '' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseCsvRow(row({ 评分: '很好' }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseCsvRow(row({ 结算时间: '2024-04-31 10:00' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
    expect(kinds(parseCsvRow(row({ 客户评价: '慢'.repeat(20_001) }), 'p', ctx))).toEqual(['dead_letter:TEXT_TOO_LONG']);
  });

  it('reads the GBK-encoded example export', async () => {
    const out = await collect(readChannelFile('dealer', 'examples/dealer/service-orders.csv', { pseudonymizer: testPseudonymizer() }));
    expect(kinds(out)).toEqual(['event', 'event', 'event', 'event', 'skipped:empty_text', 'dead_letter:RECORD_INVALID', 'dead_letter:RECORD_INVALID', 'skipped:emoji_only']);
    expect(events(out)[3]?.text).toBe('保養後異音還在，很失望，希望原廠重視。');
  });

  it('reads GBK, GB18030-with-BOM and UTF-8 versions of one export alike, with English headers', async () => {
    const csv =
      'dealer_code,order_no,vin,customer_comment,closed_at,rating\r\n' +
      'BJ015,RO-1,LSJW74U36RZ110027,"保养价格透明，""点赞""。\n下次还来",2024/04/03 11:20,5\r\n' +
      'TW-TPE02,RO-2,LSJW74U31PZ300456,保養後異音還在,2024-04-04 16:45:00,2\r\n';
    const dir = mkdtempSync(join(tmpdir(), 'voc-dealer-'));
    const files = {
      gbk: iconv.encode(csv, 'gbk'),
      gb18030bom: Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), iconv.encode(csv, 'gb18030')]),
      utf8bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
    };
    const texts: string[][] = [];
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, `${name}.csv`);
      writeFileSync(path, bytes);
      const out = await collect(readChannelFile('dealer', path, { pseudonymizer: testPseudonymizer() }));
      expect(kinds(out)).toEqual(['event', 'event']);
      texts.push(events(out).map((e) => e.text));
    }
    expect(texts[0]).toEqual(['保养价格透明，"点赞"。\n下次还来', '保養後異音還在']);
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
  });
});
