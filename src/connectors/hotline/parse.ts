import { z } from 'zod';
import type { ParseOutcome } from '../connector.js';
import { aliasLookup, canonicalise, describeIssues, idField, isPlainObject, optionalBool, optionalId, optionalInt, optionalNumber, optionalString, optionalTimestamp, timestampField, type AliasTable } from '../common/fields.js';
import { badTimestamp, buildEvent, guard, invalidRecord, notAnObject, SKIP_REASONS, skipped } from '../common/outcome.js';
import type { ParseContext } from '../common/parse-context.js';
import { checkText, joinText } from '../common/text.js';
import { toIsoTimestamp } from '../common/time.js';
import type { HotlineConfig } from './config.js';

export const HOTLINE_SOURCES = { transcript: 'hotline.transcript', workOrder: 'hotline.work_order' } as const;
export type HotlineContext = ParseContext<HotlineConfig>;

const TRANSCRIPT_KEYS = {
  callId: ['call_id', 'callid', '通话ID', '呼叫ID', '通话编号'],
  startTime: ['start', 'start_time', 'started_at', 'begin_time', '开始时间'],
  endTime: ['end', 'end_time', 'ended_at', '结束时间'],
  hotline: ['hotline_number', 'called_number', '热线号码', '被叫号码'],
  callerNumber: ['caller', 'caller_number', 'ani', 'phone', '主叫号码', '来电号码'],
  agentId: ['agent', 'agent_id', '坐席工号', '坐席ID'],
  intent: ['category', 'call_type', '来电类型', '诉求类型'],
  vehicleSeries: ['series', 'vehicle_series', '车系'],
  vehicleModel: ['model', 'vehicle_model', '车型'],
  modelYear: ['model_year', '年款'],
  province: ['省份', '省'],
  city: ['城市', '市'],
  coCreation: ['co_creation', 'cocreation_opt_in', 'co_creation_opt_in', '共创意愿', '共创'],
  turns: ['utterances', 'segments', 'dialogue', '对话'],
  vehicle: [],
  consent: [],
} as const satisfies AliasTable<string>;
const transcriptLookup = aliasLookup(TRANSCRIPT_KEYS);

const TurnSchema = z.object({
  role: z.string().trim().min(1).max(32),
  start: optionalNumber(0, 1e7),
  end: optionalNumber(0, 1e7),
  text: z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string()),
});
const TurnKeys = aliasLookup({ role: ['speaker', 'channel_role', '角色', '说话人'], start: ['offset', 'begin', 'start_ms', 'from'], end: ['end_ms', 'to'], text: ['content', 'utterance', '内容', '文本'] });

const VehicleSchema = z.object({
  series: optionalString(64),
  model: optionalString(128),
  modelYear: optionalInt(1980, 2100),
});

export const TranscriptSchema = z.object({
  callId: idField,
  startTime: timestampField,
  endTime: optionalTimestamp,
  hotline: optionalString(32),
  callerNumber: optionalId,
  agentId: optionalId,
  intent: optionalString(64),
  vehicleSeries: optionalString(64),
  vehicleModel: optionalString(128),
  modelYear: optionalInt(1980, 2100),
  vehicle: VehicleSchema.optional(),
  province: optionalString(32),
  city: optionalString(32),
  coCreation: optionalBool,
  consent: z.object({ coCreation: optionalBool }).optional(),
  turns: z.array(TurnSchema).max(10_000),
});

/**
 * Agent turns are never published: they name the customer, read back phone numbers and VINs.
 * What they say about the call's purpose survives as an intent, by keywords in this order.
 */
const INTENT_KEYWORDS: readonly [string, RegExp][] = [
  ['complaint', /投[诉訴]|登[记記].*(问题|反馈|問題|反饋)|升级处理|客訴|申訴/],
  ['rescue', /救援|拖车|拖車|道路救援/],
  ['recall', /召回/],
  ['appointment', /预约|預約|安排.*(到店|进店)/],
  ['ota', /OTA|升级包|软件版本|軟體/i],
  ['consultation', /咨询|諮詢|了解一下|介绍|介紹/],
];

export function inferIntent(agentTexts: string[]): string | undefined {
  const all = agentTexts.join('\n');
  for (const [intent, re] of INTENT_KEYWORDS) if (re.test(all)) return intent;
  return undefined;
}

function canonicalTurns(turns: unknown): unknown {
  if (!Array.isArray(turns)) return turns;
  return turns.map((t) => (isPlainObject(t) ? canonicalise(t, TurnKeys).known : t));
}

/** One call transcript → one event: the customer's turns, in order, joined by newlines. */
export function parseTranscript(raw: unknown, position: string, ctx: HotlineContext): ParseOutcome[] {
  const source = HOTLINE_SOURCES.transcript;
  return guard(ctx, source, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source, position, raw }, 'a transcript object')];
    }
    const { known } = canonicalise(raw, transcriptLookup);
    const parsed = TranscriptSchema.safeParse({ ...known, turns: canonicalTurns(known.turns) });
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'transcript', describeIssues(parsed.error))];
    }
    const r = parsed.data;
    const offset = ctx.config.timezoneOffset;
    const occurredAt = toIsoTimestamp(r.startTime, offset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'transcript', 'startTime')];
    }
    const customerRoles = new Set(ctx.config.customerRoles.map((s) => s.toLowerCase()));
    const customer = r.turns.filter((t) => customerRoles.has(t.role.toLowerCase()));
    const others = r.turns.filter((t) => !customerRoles.has(t.role.toLowerCase()));
    const verdict = checkText(joinText(customer.map((t) => t.text)));
    if (!verdict.ok) return [skipped(verdict.skip, position)];

    const start = toIsoTimestamp(r.startTime, offset);
    const end = r.endTime === undefined ? null : toIsoTimestamp(r.endTime, offset);
    const durationSec = start !== null && end !== null ? Math.round((Date.parse(end) - Date.parse(start)) / 1000) : undefined;
    const hotlineDigits = r.hotline?.replace(/\D/g, '');
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: r.callId,
          occurredAt,
          text: verdict.text,
          authorKey: ctx.pseudonymizer.maybe('phone', normalisePhone(r.callerNumber)),
          context: {
            vehicleSeries: r.vehicleSeries ?? r.vehicle?.series,
            vehicleModel: r.vehicleModel ?? r.vehicle?.model,
            modelYear: r.modelYear ?? r.vehicle?.modelYear,
            province: r.province,
            city: r.city,
            region: hotlineDigits ? ctx.config.hotlineRegions[hotlineDigits] : undefined,
            agentKey: ctx.pseudonymizer.maybe('agent', r.agentId) ?? undefined,
            platform: 'hotline',
            intent: r.intent ?? inferIntent(others.map((t) => t.text)),
            extra: {
              customerTurns: customer.length,
              agentTurns: others.length,
              ...(durationSec !== undefined && durationSec >= 0 ? { durationSec } : {}),
            },
          },
          consent: { coCreation: r.coCreation ?? r.consent?.coCreation ?? false },
        },
        position,
        raw,
      ),
    ];
  });
}

/** +86 138-1234-5678, 13812345678 and 8613812345678 are one caller: pseudonymise the same digits. */
export function normalisePhone(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return phone;
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

const WORK_ORDER_KEYS = {
  ticketId: ['ticket_id', 'ticket', 'work_order_id', 'order_id', '工单号', '工单编号', '工單編號'],
  createdAt: ['created', 'created_at', 'create_time', '创建时间', '建单时间', '建立時間'],
  category: ['intent', 'type', '工单类别', '工单类型', '问题分类', '類別'],
  description: ['desc', 'problem', 'content', '问题描述', '客户诉求', '問題描述'],
  resolution: ['处理结果', '处理意见', '處理結果'],
  status: ['state', '状态', '工单状态', '狀態'],
  phone: ['caller_number', 'mobile', 'contact_phone', '联系电话', '客户电话', '手机号', '聯絡電話'],
  agentId: ['agent', 'agent_id', '坐席工号', '受理人工号', '處理人員'],
  vehicleSeries: ['series', 'vehicle_series', '车系', '車系'],
  vehicleModel: ['vehicle_model', 'model', '车型', '車型'],
  modelYear: ['model_year', '年款'],
  vin: ['vin', '车架号', 'VIN码', '車身號碼'],
  province: ['省份', '省'],
  city: ['城市', '市'],
  coCreation: ['co_creation', 'co_creation_opt_in', '共创意愿', '共创'],
} as const satisfies AliasTable<string>;
const workOrderLookup = aliasLookup(WORK_ORDER_KEYS);

export const WorkOrderSchema = z.object({
  ticketId: idField,
  createdAt: timestampField,
  category: optionalString(64),
  description: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string()),
  resolution: optionalString(100_000),
  status: optionalString(32),
  phone: optionalId,
  agentId: optionalId,
  vehicleSeries: optionalString(64),
  vehicleModel: optionalString(128),
  modelYear: optionalInt(1980, 2100),
  vin: optionalId,
  province: optionalString(32),
  city: optionalString(32),
  coCreation: optionalBool,
});

/**
 * One work order (工单) → one event: the description is the customer's problem as the agent noted
 * it. The resolution is staff text and not published; only the status is kept.
 */
export function parseWorkOrder(raw: unknown, position: string, ctx: HotlineContext): ParseOutcome[] {
  const source = HOTLINE_SOURCES.workOrder;
  return guard(ctx, source, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source, position, raw }, 'a work-order row')];
    }
    const { known } = canonicalise(raw, workOrderLookup);
    const parsed = WorkOrderSchema.safeParse(known);
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'work order', describeIssues(parsed.error))];
    }
    const r = parsed.data;
    const occurredAt = toIsoTimestamp(r.createdAt, ctx.config.timezoneOffset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'work order', 'createdAt')];
    }
    const verdict = checkText(r.description);
    if (!verdict.ok) return [skipped(verdict.skip, position)];
    const p = ctx.pseudonymizer;
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: r.ticketId,
          occurredAt,
          text: verdict.text,
          authorKey: p.maybe('phone', normalisePhone(r.phone)) ?? p.maybe('vin', r.vin),
          context: {
            vehicleSeries: r.vehicleSeries,
            vehicleModel: r.vehicleModel,
            modelYear: r.modelYear,
            province: r.province,
            city: r.city,
            agentKey: p.maybe('agent', r.agentId) ?? undefined,
            platform: 'hotline',
            intent: r.category,
            extra: { ...(r.status ? { status: r.status.slice(0, 32) } : {}), hasResolution: r.resolution !== undefined },
          },
          consent: { coCreation: r.coCreation ?? false },
        },
        position,
        raw,
      ),
    ];
  });
}

/** A JSON record: a transcript when it has turns, else a work order (as the HTTP endpoint receives them). */
export function parseRecord(raw: unknown, position: string, ctx: HotlineContext): ParseOutcome[] {
  if (isPlainObject(raw)) {
    const { known } = canonicalise(raw, transcriptLookup);
    if (known.turns === undefined && canonicalise(raw, workOrderLookup).known.ticketId !== undefined) return parseWorkOrder(raw, position, ctx);
  }
  return parseTranscript(raw, position, ctx);
}

/** A row of the work-order CSV export (header → value). */
export function parseCsvRow(row: Record<string, string>, position: string, ctx: HotlineContext): ParseOutcome[] {
  return parseWorkOrder(row, position, ctx);
}

export { SKIP_REASONS };
