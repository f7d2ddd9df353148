import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../core/config.js';
import { readChannelFile } from '../registry.js';
import { collect, events, kinds, only, testContext, testPseudonymizer } from '../test-helpers.js';
import { parseAppItem, parseCsvRow, parseRecord, parseWecomMessage } from './parse.js';

const msg = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  msgid: 'M1',
  action: 'send',
  from: 'wmAbCdEf0123456789GhIjKlMnOpQr',
  tolist: ['lihua'],
  roomid: 'wrRoom1',
  msgtime: 1712030405123,
  msgtype: 'text',
  text: { content: '自动泊车识别不了斜列车位。' },
  ...over,
});

describe('private_domain WeCom messages', () => {
  const rooms = { wrRoom1: { vehicleSeries: '星海S7', region: '华东', coCreation: true } };

  it('maps the room to series and region, converts msgtime ms, pseudonymises the sender', () => {
    const ctx = testContext('private_domain', { rooms });
    const ev = only(events(parseWecomMessage(msg(), 'w.jsonl:1', ctx)));
    expect(ev.occurredAt).toBe('2024-04-02T12:00:05.123+08:00');
    expect(ev.context).toMatchObject({ vehicleSeries: '星海S7', region: '华东', platform: 'wecom' });
    expect(ev.consent.coCreation).toBe(true);
    expect(ev.authorKey).toBe(testPseudonymizer().pseudonymize('wecom_user', 'wmAbCdEf0123456789GhIjKlMnOpQr'));
    const all = JSON.stringify(ev);
    expect(all).not.toContain('wmAbCdEf');
    expect(all).not.toContain('wrRoom1');
  });

  it('counts non-text, recalled and staff messages as skipped', () => {
    const ctx = testContext('private_domain');
    expect(kinds(parseWecomMessage(msg({ msgtype: 'image', text: undefined }), 'p', ctx))).toEqual(['skipped:non_text_message:image']);
    expect(kinds(parseWecomMessage(msg({ action: 'recall', msgtype: 'revoke' }), 'p', ctx))).toEqual(['skipped:recalled_message']);
    expect(kinds(parseWecomMessage(msg({ from: 'lihua' }), 'p', ctx))).toEqual(['skipped:staff_message']);
    expect(kinds(parseWecomMessage(msg({ text: { content: '[强][强]' } }), 'p', ctx))).toEqual(['skipped:emoji_only']);
    expect(kinds(parseWecomMessage(msg({ text: { content: '' } }), 'p', ctx))).toEqual(['skipped:empty_text']);
  });

  it('publishes staff messages only when configured', () => {
    const ctx = testContext('private_domain', { includeStaffMessages: true });
    const ev = only(events(parseWecomMessage(msg({ from: 'lihua' }), 'p', ctx)));
    expect(ev.context.extra).toMatchObject({ staff: true });
  });

  it('dead-letters a message without msgtype or with a bad msgtime', () => {
    const ctx = testContext('private_domain');
    expect(kinds(parseRecord(msg({ msgtype: undefined }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseRecord(msg({ msgtime: 'x' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
  });

  it('refuses an invalid sender pattern in the config', () => {
    expect(() => testContext('private_domain', { customerSenderPattern: '(' })).toThrow(/customerSenderPattern/);
  });
});

describe('private_domain owner-app posts', () => {
  it('joins title and body of a post, keeps a comment as is', () => {
    const ctx = testContext('private_domain');
    const post = only(events(parseAppItem({ type: 'post', postId: 'P1', userId: 'U88120345', createdAt: '2024-04-01 21:17:33', title: '提车三个月', content: '總體滿意。', coCreationOptIn: true }, 'p', ctx)));
    expect(post.text).toBe('提车三个月\n總體滿意。');
    expect(post.sourceId).toBe('post:P1');
    expect(post.consent.coCreation).toBe(true);
    expect(JSON.stringify(post)).not.toContain('U88120345');
    const comment = only(events(parseRecord({ commentId: 'C1', userId: 'U1', createdAt: '2024-04-01 21:17:33', content: '同感' }, 'p', ctx)));
    expect(comment.sourceId).toBe('comment:C1');
  });

  it('dead-letters a post without a date or an id, from JSON or CSV', () => {
    const ctx = testContext('private_domain');
    expect(kinds(parseAppItem({ type: 'post', postId: 'P1', content: 'x' }, 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseCsvRow({ type: 'comment', createdAt: '2024-04-01 21:17:33', content: 'x' }, 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
  });

  it('reads the examples with the example room mapping', async () => {
    const config = (readConfigFile('examples/private_domain/voc.yaml').connectors as Record<string, unknown>).private_domain;
    const out = await collect(readChannelFile('private_domain', 'examples/private_domain', { pseudonymizer: testPseudonymizer(), config }));
    expect(kinds(out)).toEqual([
      'event', 'event', 'skipped:emoji_only', 'event', 'dead_letter:RECORD_INVALID',
      'event', 'skipped:staff_message', 'event', 'skipped:non_text_message:image', 'skipped:non_text_message:voice', 'skipped:emoji_only',
      'skipped:recalled_message', 'event', 'event', 'dead_letter:TIMESTAMP_INVALID', 'dead_letter:RECORD_INVALID', 'dead_letter:JSON_SYNTAX',
    ]);
    const hk = events(out).find((e) => e.context.region === 'HK');
    expect(hk?.consent.coCreation).toBe(true);
  });
});
