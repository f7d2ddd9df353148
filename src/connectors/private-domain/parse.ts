import { z } from 'zod';
import type { ParseOutcome } from '../connector.js';
import { aliasLookup, canonicalise, describeIssues, idField, isPlainObject, optionalBool, optionalId, optionalInt, optionalString, timestampField, type AliasTable } from '../common/fields.js';
import { badTimestamp, buildEvent, DEAD_LETTER_CODES, deadLetter, guard, invalidRecord, notAnObject, SKIP_REASONS, skipped } from '../common/outcome.js';
import type { ParseContext } from '../common/parse-context.js';
import { checkText, joinText } from '../common/text.js';
import { toIsoTimestamp } from '../common/time.js';
import type { PrivateDomainConfig } from './config.js';

export const PRIVATE_DOMAIN_SOURCES = { wecom: 'private_domain.wecom', app: 'private_domain.app' } as const;
export type PrivateDomainContext = ParseContext<PrivateDomainConfig>;

/** 会话内容存档 message: https://developer.work.weixin.qq.com/document/path/91774 (msgtime in ms). */
export const WecomMessageSchema = z.object({
  msgid: idField,
  action: optionalString(16),
  from: optionalId,
  roomid: optionalString(128),
  msgtime: timestampField,
  msgtype: z.string().trim().min(1).max(32),
  text: z.object({ content: z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string()) }).optional(),
});

const regexCache = new Map<string, RegExp>();
function cachedRegex(src: string): RegExp {
  let re = regexCache.get(src);
  if (!re) {
    re = new RegExp(src);
    regexCache.set(src, re);
  }
  return re;
}

/**
 * A WeCom archived message → one event for a customer's text message. Non-text messages (image,
 * voice, emotion, …) are skipped as `non_text_message:<type>`, recalls as `recalled_message`,
 * staff messages as `staff_message`; all counted.
 */
export function parseWecomMessage(raw: unknown, position: string, ctx: PrivateDomainContext): ParseOutcome[] {
  const source = PRIVATE_DOMAIN_SOURCES.wecom;
  return guard(ctx, source, position, raw, () => {
    const parsed = WecomMessageSchema.safeParse(raw);
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'WeCom message', describeIssues(parsed.error))];
    }
    const m = parsed.data;
    if (m.action === 'recall') return [skipped(SKIP_REASONS.recalled, position)];
    const type = m.msgtype.toLowerCase();
    if (type !== 'text') return [skipped(`${SKIP_REASONS.nonText}:${type.replace(/[^a-z_]/g, '').slice(0, 24) || 'unknown'}`, position)];
    const occurredAt = toIsoTimestamp(m.msgtime, ctx.config.timezoneOffset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'WeCom message', 'msgtime', 'expected epoch milliseconds')];
    }
    const isCustomer = m.from !== undefined && cachedRegex(ctx.config.customerSenderPattern).test(m.from);
    if (!isCustomer && !ctx.config.includeStaffMessages) return [skipped(SKIP_REASONS.staff, position)];
    const verdict = checkText(m.text?.content);
    if (!verdict.ok) return [skipped(verdict.skip, position)];
    const room = m.roomid ? ctx.config.rooms[m.roomid] : undefined;
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: m.msgid,
          occurredAt,
          text: verdict.text,
          authorKey: ctx.pseudonymizer.maybe('wecom_user', m.from),
          context: {
            vehicleSeries: room?.vehicleSeries,
            region: room?.region,
            province: room?.province,
            city: room?.city,
            platform: 'wecom',
            extra: { chat: m.roomid ? 'group' : 'single', ...(isCustomer ? {} : { staff: true }) },
          },
          consent: { coCreation: room?.coCreation ?? false },
        },
        position,
        raw,
      ),
    ];
  });
}

const APP_KEYS = {
  type: ['kind', 'content_type', '类型'],
  postId: ['post_id', 'topic_id', 'thread_id', '帖子ID'],
  commentId: ['comment_id', 'reply_id', '评论ID'],
  userId: ['user_id', 'uid', 'author_id', 'member_id', '用户ID'],
  createdAt: ['created', 'created_at', 'publish_time', 'published_at', '发布时间'],
  title: ['subject', '标题'],
  content: ['body', 'text', '内容', '正文'],
  vehicleSeries: ['series', 'vehicle_series', 'car_series', '车系'],
  vehicleModel: ['vehicle_model', 'model', '车型'],
  modelYear: ['model_year', '年款'],
  province: ['省份', '省'],
  city: ['城市', '市'],
  region: ['区域'],
  language: ['lang'],
  coCreation: ['co_creation', 'co_creation_opt_in', 'cocreation_opt_in', '共创'],
  likes: ['like_count', '点赞数'],
} as const satisfies AliasTable<string>;
const appLookup = aliasLookup(APP_KEYS);

export const AppItemSchema = z.object({
  type: z.enum(['post', 'comment']).optional(),
  postId: optionalId,
  commentId: optionalId,
  userId: optionalId,
  createdAt: timestampField,
  title: optionalString(1000),
  content: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string()),
  vehicleSeries: optionalString(64),
  vehicleModel: optionalString(128),
  modelYear: optionalInt(1980, 2100),
  province: optionalString(32),
  city: optionalString(32),
  region: optionalString(32),
  language: optionalString(16),
  coCreation: optionalBool,
  likes: optionalInt(0, 1e12),
});

/** An owner-app community post (title + body) or comment → one event. */
export function parseAppItem(raw: unknown, position: string, ctx: PrivateDomainContext): ParseOutcome[] {
  const source = PRIVATE_DOMAIN_SOURCES.app;
  return guard(ctx, source, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source, position, raw }, 'an app post or comment object')];
    }
    const parsed = AppItemSchema.safeParse(canonicalise(raw, appLookup).known);
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'app post or comment', describeIssues(parsed.error))];
    }
    const r = parsed.data;
    const type = r.type ?? (r.commentId !== undefined ? 'comment' : 'post');
    const id = type === 'comment' ? r.commentId : r.postId;
    if (id === undefined) {
      return [deadLetter(ctx, { source, position, code: DEAD_LETTER_CODES.invalid, reason: `Invalid app ${type}: ${type === 'comment' ? 'commentId' : 'postId'} is required.`, raw })];
    }
    const occurredAt = toIsoTimestamp(r.createdAt, ctx.config.timezoneOffset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'app post or comment', 'createdAt')];
    }
    const verdict = checkText(type === 'post' ? joinText([r.title, r.content]) : r.content);
    if (!verdict.ok) return [skipped(verdict.skip, position)];
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: `${type}:${id}`,
          occurredAt,
          text: verdict.text,
          authorKey: ctx.pseudonymizer.maybe('app_user', r.userId),
          context: {
            vehicleSeries: r.vehicleSeries,
            vehicleModel: r.vehicleModel,
            modelYear: r.modelYear,
            province: r.province,
            city: r.city,
            region: r.region,
            language: r.language,
            platform: 'owner_app',
            extra: { type, ...(r.likes !== undefined ? { likes: r.likes } : {}) },
          },
          consent: { coCreation: r.coCreation ?? false },
        },
        position,
        raw,
      ),
    ];
  });
}

/** WeCom message when it has msgid/msgtype, else an owner-app post or comment. */
export function parseRecord(raw: unknown, position: string, ctx: PrivateDomainContext): ParseOutcome[] {
  if (isPlainObject(raw) && ('msgid' in raw || 'msgtype' in raw)) return parseWecomMessage(raw, position, ctx);
  return parseAppItem(raw, position, ctx);
}

/** Owner-app exports also come as CSV (one post or comment per row). */
export function parseCsvRow(row: Record<string, string>, position: string, ctx: PrivateDomainContext): ParseOutcome[] {
  return parseAppItem(row, position, ctx);
}
