import { z } from 'zod';
import type { ParseOutcome } from '../connector.js';
import { aliasLookup, canonicalise, describeIssues, idField, isPlainObject, optionalBool, optionalId, optionalInt, optionalNumber, optionalString, timestampField, type AliasTable } from '../common/fields.js';
import { contentFingerprint } from '../common/fingerprint.js';
import { badTimestamp, buildEvent, guard, invalidRecord, notAnObject, SKIP_REASONS, skipped } from '../common/outcome.js';
import type { ParseContext } from '../common/parse-context.js';
import { checkText, joinText } from '../common/text.js';
import { toIsoTimestamp } from '../common/time.js';
import { SOCIAL_PLATFORMS, type SocialConfig } from './config.js';

export type SocialContext = ParseContext<SocialConfig>;

const SOCIAL_KEYS = {
  platform: ['site', 'source', 'channel', '平台'],
  postId: ['post_id', 'id', 'mid', 'note_id', 'item_id', 'article_id', '帖子ID'],
  url: ['link', 'permalink', 'post_url', '链接'],
  authorId: ['author_id', 'user_id', 'uid', 'author', 'author_handle', 'user', '作者ID'],
  authorName: ['author_name', 'nickname', 'screen_name', '昵称', '作者'],
  publishedAt: ['published_at', 'publish_time', 'created_at', 'post_time', 'time', '发布时间', '發文時間'],
  title: ['subject', '标题', '標題'],
  content: ['text', 'body', '内容', '正文', '內容'],
  region: ['ip_location', 'location', 'province', '地区', 'IP属地'],
  language: ['lang', '语言'],
  likes: ['like_count', 'attitudes_count', 'diggs', '点赞数'],
  comments: ['comment_count', 'comments_count', '评论数'],
  reposts: ['repost_count', 'reposts_count', 'shares', '转发数'],
  isRepost: ['is_repost', 'repost', 'retweeted', '是否转发'],
  vehicleSeries: ['series', 'vehicle_series', 'brand_series', '车系', '車系'],
  stars: ['rating', 'score', '评分'],
} as const satisfies AliasTable<string>;
const socialLookup = aliasLookup(SOCIAL_KEYS);

export const SocialPostSchema = z.object({
  platform: z.string().trim().toLowerCase().min(1).max(32),
  postId: idField,
  url: optionalString(2048),
  authorId: optionalId,
  authorName: optionalString(200),
  publishedAt: timestampField,
  title: optionalString(1000),
  content: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string()),
  region: optionalString(32),
  language: optionalString(16),
  likes: optionalInt(0, 1e12),
  comments: optionalInt(0, 1e12),
  reposts: optionalInt(0, 1e12),
  isRepost: optionalBool,
  vehicleSeries: optionalString(64),
  stars: optionalNumber(0, 5),
});

/**
 * Weibo-style repost chains: "说得对//@某车主: 原文…". The reposter's own words come before the
 * first "//@"; the quoted chain is someone else's post, already counted on its own.
 */
export function ownWords(content: string): { own: string; quoted: boolean } {
  const i = content.indexOf('//@');
  if (i === -1) return { own: content, quoted: false };
  return { own: content.slice(0, i), quoted: true };
}

/** Only the host of a URL is kept: paths carry user handles (weibo.com/<uid>/…, ptt.cc/…/M.<id>). */
function urlHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.slice(0, 64) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A vendor post → one event, unless its normalised content was seen recently (a repost or a
 * copy-paste across accounts and platforms): then it is skipped as `duplicate`, counted once.
 * A pure repost (no own words) is a duplicate of what it quotes. The post id is pseudonymised:
 * a public post id leads straight to its author.
 */
export function parseRecord(raw: unknown, position: string, ctx: SocialContext): ParseOutcome[] {
  const fallbackSource = 'social.unknown';
  return guard(ctx, fallbackSource, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source: fallbackSource, position, raw }, 'a post object')];
    }
    const parsed = SocialPostSchema.safeParse(canonicalise(raw, socialLookup).known);
    if (!parsed.success) {
      return [invalidRecord(ctx, { source: fallbackSource, position, raw }, 'social post', describeIssues(parsed.error))];
    }
    const r = parsed.data;
    const platform = (SOCIAL_PLATFORMS as readonly string[]).includes(r.platform) ? r.platform : 'other';
    const source = `social.${platform}`;
    const occurredAt = toIsoTimestamp(r.publishedAt, ctx.config.timezoneOffset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'social post', 'publishedAt')];
    }
    const { own, quoted } = ownWords(r.content);
    const verdict = checkText(joinText([r.title, own]));
    if (!verdict.ok) {
      // "//@someone: …" with nothing of one's own, or flagged as a repost: the quoted post counts, not this.
      if (quoted || r.isRepost === true) return [skipped(SKIP_REASONS.duplicate, position)];
      return [skipped(verdict.skip, position)];
    }
    if (ctx.fingerprints.checkAndAdd(contentFingerprint(verdict.text))) return [skipped(SKIP_REASONS.duplicate, position)];
    const defaults = ctx.config.platformDefaults[platform];
    const stats = { likes: r.likes, comments: r.comments, reposts: r.reposts };
    const extra: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(stats)) if (v !== undefined) extra[k] = v;
    const host = urlHost(r.url);
    if (host) extra.host = host;
    if (quoted) extra.quotes = true;
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: ctx.pseudonymizer.pseudonymize('social_post', `${platform}:${r.postId}`),
          occurredAt,
          text: verdict.text,
          authorKey: ctx.pseudonymizer.maybe(`${platform}_user`, r.authorId ?? r.authorName),
          context: {
            vehicleSeries: r.vehicleSeries,
            // IP属地 is a province ("广东"); a market code ("TW", "HK") is a region.
            province: r.region !== undefined && !/^[A-Z]{2}$/.test(r.region) ? r.region : undefined,
            region: (r.region !== undefined && /^[A-Z]{2}$/.test(r.region) ? r.region : undefined) ?? defaults?.region,
            language: r.language ?? defaults?.language,
            platform,
            ratings: r.stars === undefined ? undefined : { stars: r.stars },
            extra,
          },
          consent: { coCreation: false },
        },
        position,
        raw,
      ),
    ];
  });
}
