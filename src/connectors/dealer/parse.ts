import { z } from 'zod';
import type { ParseOutcome } from '../connector.js';
import { aliasLookup, canonicalise, describeIssues, idField, isPlainObject, optionalBool, optionalId, optionalInt, optionalNumber, optionalString, timestampField, type AliasTable } from '../common/fields.js';
import { badTimestamp, buildEvent, guard, invalidRecord, notAnObject, skipped } from '../common/outcome.js';
import type { ParseContext } from '../common/parse-context.js';
import { checkText } from '../common/text.js';
import { toIsoTimestamp } from '../common/time.js';
import { normalisePhone } from '../hotline/parse.js';
import type { DealerConfig } from './config.js';

export const DEALER_SOURCE = 'dealer.dms';
export type DealerContext = ParseContext<DealerConfig>;

const DEALER_KEYS = {
  dealerCode: ['dealer_code', 'dealer', 'store_code', '经销商代码', '经销商编码', '店代码', '經銷商代碼'],
  orderNo: ['order_no', 'order_number', 'ro_number', 'repair_order', '工单号', '维修工单号', '服务单号', '委托书号', '工單號'],
  vin: ['vin_code', '车架号', 'VIN码', '车辆识别代号', '車身號碼'],
  plate: ['plate_no', 'license_plate', '车牌号', '车牌', '車牌'],
  serviceType: ['service_type', 'repair_type', '服务类型', '维修类型', '服務類型'],
  customerComment: ['customer_comment', 'comment', 'feedback', '客户评价', '客户意见', '客户反馈', '顧客意見'],
  advisorNote: ['advisor_note', 'sa_note', 'remark', '顾问备注', '服务顾问备注', '備註'],
  closedAt: ['closed_at', 'close_time', 'settled_at', 'finish_time', '结算时间', '完工时间', '交车时间', '結帳時間'],
  rating: ['score', 'stars', 'satisfaction', '评分', '满意度', '評分'],
  phone: ['customer_phone', 'mobile', '客户电话', '联系电话', '手机号', '聯絡電話'],
  advisorId: ['advisor_id', 'sa_id', 'advisor', '服务顾问工号', '服务顾问', '服務顧問'],
  customerName: ['customer_name', '客户姓名', '客户名称', '顧客姓名'],
  vehicleSeries: ['series', 'vehicle_series', '车系', '車系'],
  vehicleModel: ['vehicle_model', 'model', '车型', '車型'],
  modelYear: ['model_year', '年款'],
  mileage: ['odometer', 'mileage_km', '里程', '行驶里程', '里程數'],
  province: ['省份', '省'],
  city: ['城市', '市'],
  coCreation: ['co_creation', 'co_creation_opt_in', '共创意愿', '共创', '共創意願'],
} as const satisfies AliasTable<string>;
const dealerLookup = aliasLookup(DEALER_KEYS);

export const ServiceOrderSchema = z.object({
  dealerCode: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().min(1, 'a dealer code').max(32)),
  orderNo: idField,
  vin: optionalId,
  plate: optionalId,
  serviceType: optionalString(64),
  customerComment: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string()),
  advisorNote: optionalString(100_000),
  closedAt: timestampField,
  rating: optionalNumber(0, 100),
  phone: optionalId,
  advisorId: optionalId,
  customerName: optionalString(200),
  vehicleSeries: optionalString(64),
  vehicleModel: optionalString(128),
  modelYear: optionalInt(1980, 2100),
  mileage: optionalNumber(0, 10_000_000),
  province: optionalString(32),
  city: optionalString(32),
  coCreation: optionalBool,
});

/** VINs are written with spaces, dashes and lower case in DMS exports; one vehicle, one key. */
export function normaliseVin(vin: string | undefined): string | undefined {
  return vin?.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * One DMS service order → one event from the customer's comment. The order number and VIN are
 * never published: sourceId is the keyed hash of dealer code + order number, the author key comes
 * from the phone (same key as on the hotline) or else the VIN. The advisor note is staff text and
 * is not published; the dealer code stays (a business, not a person).
 */
export function parseRecord(raw: unknown, position: string, ctx: DealerContext): ParseOutcome[] {
  const source = DEALER_SOURCE;
  return guard(ctx, source, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source, position, raw }, 'a service-order row')];
    }
    const parsed = ServiceOrderSchema.safeParse(canonicalise(raw, dealerLookup).known);
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'service order', describeIssues(parsed.error))];
    }
    const r = parsed.data;
    const occurredAt = toIsoTimestamp(r.closedAt, ctx.config.timezoneOffset);
    if (occurredAt === null) {
      return [badTimestamp(ctx, { source, position, raw }, 'service order', 'closedAt')];
    }
    const verdict = checkText(r.customerComment);
    if (!verdict.ok) return [skipped(verdict.skip, position)];
    const p = ctx.pseudonymizer;
    const stars = r.rating === undefined ? undefined : Math.min(5, r.rating / (ctx.config.ratingScale / 5));
    return [
      buildEvent(
        ctx,
        {
          source,
          sourceId: p.pseudonymize('dealer_order', `${r.dealerCode}:${r.orderNo}`),
          occurredAt,
          text: verdict.text,
          authorKey: p.maybe('phone', normalisePhone(r.phone)) ?? p.maybe('vin', normaliseVin(r.vin)),
          context: {
            vehicleSeries: r.vehicleSeries,
            vehicleModel: r.vehicleModel,
            modelYear: r.modelYear,
            province: r.province,
            city: r.city,
            region: ctx.config.dealerRegions[r.dealerCode],
            dealerCode: r.dealerCode,
            agentKey: p.maybe('advisor', r.advisorId) ?? undefined,
            platform: 'dms',
            intent: r.serviceType,
            ratings: stars === undefined ? undefined : { stars: Math.round(stars * 10) / 10 },
            extra: {
              hasAdvisorNote: r.advisorNote !== undefined,
              ...(r.mileage !== undefined ? { mileageKm: Math.round(r.mileage / 1000) * 1000 } : {}),
            },
          },
          consent: { coCreation: r.coCreation ?? false },
        },
        position,
        raw,
      ),
    ];
  });
}

/** A row of the DMS CSV export (header → value); Chinese or English headers. */
export function parseCsvRow(row: Record<string, string>, position: string, ctx: DealerContext): ParseOutcome[] {
  return parseRecord(row, position, ctx);
}
