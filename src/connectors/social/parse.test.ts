import { describe, expect, it } from 'vitest';
import { readChannelFile } from '../registry.js';
import { collect, events, kinds, only, testContext, testPseudonymizer } from '../test-helpers.js';
import { contentFingerprint, FingerprintCache } from '../common/fingerprint.js';
import { ownWords, parseRecord } from './parse.js';

const post = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  platform: 'weibo',
  postId: '5012345678901234',
  url: 'https://weibo.com/7012345678/O9aBcDeFg',
  authorId: '7012345678',
  authorName: '魔都电车日记',
  publishedAt: '2024-04-10 08:12:00',
  content: '语音助手反应慢半拍。',
  region: '上海',
  likes: 3,
  ...over,
});

describe('social posts', () => {
  it('publishes a post with pseudonymised author and post id, URL host only', () => {
    const ctx = testContext('social');
    const ev = only(events(parseRecord(post(), 'f.jsonl:1', ctx)));
    expect(ev.source).toBe('social.weibo');
    expect(ev.context).toMatchObject({ platform: 'weibo', province: '上海', extra: { likes: 3, host: 'weibo.com' } });
    expect(ev.authorKey).toBe(testPseudonymizer().pseudonymize('weibo_user', '7012345678'));
    const all = JSON.stringify(ev);
    for (const raw of ['7012345678', '5012345678901234', 'O9aBcDeFg', '魔都电车日记']) expect(all).not.toContain(raw);
  });

  it('counts a copy-paste with other spacing, punctuation and emoji once', () => {
    const ctx = testContext('social');
    expect(kinds(parseRecord(post({ postId: 'a', content: '遮阳板化妆镜没有灯，不方便😭' }), 'p', ctx))).toEqual(['event']);
    expect(kinds(parseRecord(post({ postId: 'b', platform: 'xiaohongshu', authorId: 'x', content: '遮阳板化妆镜没有灯 ！！不方便 😭😭' }), 'p', ctx))).toEqual(['skipped:duplicate']);
    expect(kinds(parseRecord(post({ postId: 'c', content: '遮阳板化妆镜有灯' }), 'p', ctx))).toEqual(['event']);
  });

  it('treats a pure repost as a duplicate and keeps a repost with own words', () => {
    const ctx = testContext('social');
    expect(kinds(parseRecord(post({ content: '//@某人: 原文', isRepost: true }), 'p', ctx))).toEqual(['skipped:duplicate']);
    const ev = only(events(parseRecord(post({ postId: 'r2', content: '我也遇到了//@某人: 原文' }), 'p', ctx)));
    expect(ev.text).toBe('我也遇到了');
    expect(ownWords('a//@b: c')).toEqual({ own: 'a', quoted: true });
  });

  it('assumes zh-Hant and TW for Taiwanese forums', () => {
    const ctx = testContext('social');
    const ev = only(events(parseRecord(post({ platform: 'ptt', content: '請問有L9車主遇過冷氣異味嗎？', region: undefined }), 'p', ctx)));
    expect(ev.context).toMatchObject({ language: 'zh-Hant', region: 'TW', platform: 'ptt' });
  });

  it('skips emoji-only and empty posts, dead-letters bad records', () => {
    const ctx = testContext('social');
    expect(kinds(parseRecord(post({ content: '[赞][赞]👍' }), 'p', ctx))).toEqual(['skipped:emoji_only']);
    expect(kinds(parseRecord(post({ content: '' }), 'p', ctx))).toEqual(['skipped:empty_text']);
    expect(kinds(parseRecord(post({ publishedAt: '' }), 'p', ctx))).toEqual(['dead_letter:TIMESTAMP_INVALID']);
    expect(kinds(parseRecord(post({ platform: undefined }), 'p', ctx))).toEqual(['dead_letter:RECORD_INVALID']);
    expect(kinds(parseRecord(post({ content: '长'.repeat(20_001) }), 'p', ctx))).toEqual(['dead_letter:TEXT_TOO_LONG']);
  });

  it('keeps the fingerprint memory bounded', () => {
    const cache = new FingerprintCache(2);
    expect(cache.checkAndAdd(contentFingerprint('一'))).toBe(false);
    expect(cache.checkAndAdd(contentFingerprint('二'))).toBe(false);
    expect(cache.checkAndAdd(contentFingerprint('三'))).toBe(false);
    expect(cache.size).toBe(2);
    expect(cache.checkAndAdd(contentFingerprint('一'))).toBe(false); // forgotten: beyond the window
    expect(cache.checkAndAdd(contentFingerprint('三'))).toBe(true);
  });

  it('reads the example feed', async () => {
    const out = await collect(readChannelFile('social', 'examples/social', { pseudonymizer: testPseudonymizer() }));
    expect(kinds(out)).toEqual([
      'event', 'skipped:duplicate', 'event', 'event', 'event', 'event', 'event', 'skipped:duplicate', 'event', 'event',
      'skipped:emoji_only', 'dead_letter:TIMESTAMP_INVALID', 'dead_letter:JSON_SYNTAX',
    ]);
    expect(events(out).filter((e) => e.context.language === 'zh-Hant').map((e) => e.context.platform)).toEqual(['mobile01', 'ptt']);
  });
});
