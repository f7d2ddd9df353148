import { z } from 'zod';
import type { ParseOutcome } from '../connector.js';
import { aliasLookup, canonicalise, describeIssues, idField, isPlainObject, optionalBool, optionalId, optionalInt, optionalString, timestampField, type AliasTable } from '../common/fields.js';
import { badTimestamp, buildEvent, guard, invalidRecord, notAnObject, SKIP_REASONS, skipped } from '../common/outcome.js';
import type { ParseContext } from '../common/parse-context.js';
import { checkText } from '../common/text.js';
import { toIsoTimestamp } from '../common/time.js';
import type { SurveyConfig } from './config.js';

export const SURVEY_SOURCES = { csv: 'survey.csv', webhook: 'survey.webhook' } as const;
export type SurveyContext = ParseContext<SurveyConfig>;

const SURVEY_KEYS = {
  responseId: ['response_id', 'responseid', 'answer_id', '答卷编号', '序号', '答卷ID', '回覆編號'],
  surveyId: ['survey_id', 'questionnaire_id', '问卷ID', '问卷编号', '問卷編號'],
  submittedAt: ['submitted_at', 'submit_time', 'completed_at', '提交时间', '提交答卷时间', '填寫時間'],
  nps: ['nps_score', '推荐意愿', 'NPS得分', '推薦意願'],
  csat: ['csat_score', 'satisfaction', '满意度', '滿意度'],
  dealerCode: ['dealer_code', 'dealer', '经销商代码', '经销商编码', '經銷商代碼'],
  vehicleSeries: ['series', 'vehicle_series', '车系', '車系'],
  vehicleModel: ['vehicle_model', 'model', '车型', '車型'],
  modelYear: ['model_year', '年款'],
  province: ['省份', '省'],
  city: ['城市', '市'],
  region: ['market', '区域', '大区', '地區'],
  language: ['lang', '语言'],
  phone: ['mobile', 'respondent_phone', '手机号', '联系电话', '手機'],
  openid: ['open_id', 'wechat_openid', 'respondent_id', 'user_id', '微信openid', '用户ID'],
  vin: ['车架号', 'VIN码'],
  coCreation: ['co_creation', 'co_creation_opt_in', 'cocreation', '共创意愿', '愿意参与共创', '共創意願'],
  answers: ['open_answers', 'comments'],
  vehicle: [],
  respondent: [],
  consent: [],
} as const satisfies AliasTable<string>;
const surveyLookup = aliasLookup(SURVEY_KEYS);

const AnswerSchema = z.object({
  questionId: optionalId,
  question: optionalString(500),
  text: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string()),
});
const answerLookup = aliasLookup({ questionId: ['question_id', 'qid', 'id'], question: ['question_text', 'title', '题目', '問題'], text: ['answer', 'value', 'content', '回答', '答案'] });

export const SurveyResponseSchema = z.object({
  responseId: idField,
  surveyId: optionalString(64),
  submittedAt: timestampField,
  nps: optionalInt(0, 10),
  csat: optionalInt(1, 5),
  dealerCode: optionalString(32),
  vehicleSeries: optionalString(64),
  vehicleModel: optionalString(128),
  modelYear: optionalInt(1980, 2100),
  vehicle: z.object({ series: optionalString(64), model: optionalString(128), modelYear: optionalInt(1980, 2100) }).optional(),
  province: optionalString(32),
  city: optionalString(32),
  region: optionalString(32),
  language: optionalString(16),
  phone: optionalId,
  openid: optionalId,
  vin: optionalId,
  respondent: z.object({ phone: optionalId, openid: optionalId, userId: optionalId }).optional(),
  coCreation: optionalBool,
  consent: z.object({ coCreation: optionalBool }).optional(),
  answers: z.array(AnswerSchema).max(500).default([]),
});
export type SurveyResponse = z.infer<typeof SurveyResponseSchema>;

export function npsClass(nps: number | undefined): 'promoter' | 'passive' | 'detractor' | undefined {
  if (nps === undefined) return undefined;
  return nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
}

/**
 * One response → one event per non-empty open answer, with the question in context.question and
 * the ratings and NPS class on each. A response with scores only (no open answer) is skipped as
 * `no_open_answer`: there is no text to hear; its scores belong to the survey platform's own stats.
 */
function responseOutcomes(r: SurveyResponse, source: string, position: string, raw: unknown, ctx: SurveyContext): ParseOutcome[] {
  const occurredAt = toIsoTimestamp(r.submittedAt, ctx.config.timezoneOffset);
  if (occurredAt === null) {
    return [badTimestamp(ctx, { source, position, raw }, 'survey response', 'submittedAt')];
  }
  const p = ctx.pseudonymizer;
  const authorKey =
    p.maybe('openid', r.openid ?? r.respondent?.openid) ?? p.maybe('phone', (r.phone ?? r.respondent?.phone)?.replace(/\D/g, '')) ?? p.maybe('app_user', r.respondent?.userId) ?? p.maybe('vin', r.vin);
  const ratings = r.nps === undefined && r.csat === undefined ? undefined : { nps: r.nps, csat: r.csat };
  const out: ParseOutcome[] = [];
  const skips: ParseOutcome[] = [];
  r.answers.forEach((a, i) => {
    const verdict = checkText(a.text);
    if (!verdict.ok) {
      skips.push(skipped(verdict.skip, position));
      return;
    }
    const qid = a.questionId ?? `a${i + 1}`;
    out.push(
      buildEvent(
        ctx,
        {
          source,
          sourceId: `${r.responseId}:${qid}`,
          occurredAt,
          text: verdict.text,
          authorKey,
          context: {
            vehicleSeries: r.vehicleSeries ?? r.vehicle?.series,
            vehicleModel: r.vehicleModel ?? r.vehicle?.model,
            modelYear: r.modelYear ?? r.vehicle?.modelYear,
            province: r.province,
            city: r.city,
            region: r.region,
            dealerCode: r.dealerCode,
            platform: ctx.config.platform,
            ratings,
            npsClass: npsClass(r.nps),
            question: a.question ?? a.questionId,
            language: r.language,
            extra: r.surveyId ? { surveyId: r.surveyId } : undefined,
          },
          consent: { coCreation: r.coCreation ?? r.consent?.coCreation ?? false },
        },
        position,
        raw,
      ),
    );
  });
  if (out.length > 0) return out;
  // Nothing to publish: one counted skip for the response (the reason of its only answer, or none).
  return [skips.length === 1 && skips[0] ? skips[0] : skipped(SKIP_REASONS.noOpenAnswer, position)];
}

/** A JSON webhook payload: `answers: [{questionId, question, text}]`. */
export function parseRecord(raw: unknown, position: string, ctx: SurveyContext): ParseOutcome[] {
  const source = SURVEY_SOURCES.webhook;
  return guard(ctx, source, position, raw, () => {
    if (!isPlainObject(raw)) {
      return [notAnObject(ctx, { source, position, raw }, 'a survey response object')];
    }
    const { known } = canonicalise(raw, surveyLookup);
    const answers = Array.isArray(known.answers) ? known.answers.map((a) => (isPlainObject(a) ? canonicalise(a, answerLookup).known : a)) : known.answers;
    const parsed = SurveyResponseSchema.safeParse({ ...known, answers });
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw }, 'survey response', describeIssues(parsed.error))];
    }
    return responseOutcomes(parsed.data, source, position, raw, ctx);
  });
}

const patternCache = new Map<string, RegExp>();
function openAnswerPattern(src: string): RegExp {
  let re = patternCache.get(src);
  if (!re) {
    re = new RegExp(src, 'u');
    patternCache.set(src, re);
  }
  return re;
}

/**
 * A CSV export row: known columns by alias, and every column whose header matches
 * openAnswerColumnPattern ("Q3 您最不满意的地方是？", "3、…") is an open answer with the header as
 * question. Columns matching neither are ignored (they may hold IP addresses, names, …).
 */
export function parseCsvRow(row: Record<string, string>, position: string, ctx: SurveyContext): ParseOutcome[] {
  const source = SURVEY_SOURCES.csv;
  return guard(ctx, source, position, row, () => {
    const { known, rest } = canonicalise(row, surveyLookup);
    const re = openAnswerPattern(ctx.config.openAnswerColumnPattern);
    const answers = rest
      .filter(([h]) => re.test(h.trim()))
      .map(([h, v], i) => {
        const m = re.exec(h.trim());
        const marker = m ? m[0] : '';
        const question = h.trim().slice(marker.length).trim() || h.trim();
        const qid = /\d+/.exec(marker)?.[0];
        return { questionId: qid ? `q${qid}` : `c${i + 1}`, question: question.slice(0, 500), text: v };
      });
    const parsed = SurveyResponseSchema.safeParse({ ...known, answers });
    if (!parsed.success) {
      return [invalidRecord(ctx, { source, position, raw: row }, 'survey row', describeIssues(parsed.error))];
    }
    return responseOutcomes(parsed.data, source, position, row, ctx);
  });
}
