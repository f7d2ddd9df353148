import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SqlExecutor } from './executor.js';
import { parseSqlFile, schemaDir, toClickHouseDateTime } from './migrations.js';

/**
 * The published views (v_*) are generated from schemas/clickhouse/views/*.sql with k and the
 * emerging-issue parameters written into their text as literals. Why not a settings table read by
 * a scalar subquery: an analyst granted SELECT on the views alone cannot lower k, an empty or
 * missing settings row cannot silently turn k into 0, and the SQL runs unchanged on 18.16.
 * A change of parameters re-creates the views on the next connect (DROP + CREATE: 18.16 has no
 * CREATE OR REPLACE VIEW).
 */
export interface ViewParams {
  /** Minimum distinct authors per published cell. */
  k: number;
  /** Emerging issues: minimum mentions in the week. */
  minVolume: number;
  /** Emerging issues: trailing weeks averaged as the baseline. */
  baselineWeeks: number;
  /** Emerging issues: mentions / baseline at or above which a code is emerging. */
  emergingRatio: number;
}

export const DEFAULT_VIEW_PARAMS: ViewParams = { k: 5, minVolume: 5, baselineWeeks: 4, emergingRatio: 2 };

export interface ViewDefinition {
  /** Object name, e.g. v_code_trend_daily. */
  name: string;
  sql: string;
  checksum: string;
}

function checkParams(p: ViewParams): void {
  const ints: [keyof ViewParams, number, number][] = [
    ['k', 1, 1000],
    ['minVolume', 1, 1_000_000],
    ['baselineWeeks', 1, 52],
  ];
  for (const [key, min, max] of ints) {
    const v = p[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new ConfigError(`View parameter ${key}: expected an integer in [${min}, ${max}], got ${String(v)}.`);
    }
  }
  if (!Number.isFinite(p.emergingRatio) || p.emergingRatio <= 0) {
    throw new ConfigError(`View parameter emergingRatio: expected a positive number, got ${String(p.emergingRatio)}.`);
  }
}

export function renderViews(params: ViewParams, dir = join(schemaDir(), 'views')): ViewDefinition[] {
  checkParams(params);
  const values: Record<string, string> = {
    k: String(params.k),
    min_volume: String(params.minVolume),
    baseline_weeks: String(params.baselineWeeks),
    emerging_ratio: String(params.emergingRatio),
  };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const views: ViewDefinition[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const v = values[key];
      if (v === undefined) throw new ConfigError(`View file ${file} uses unknown parameter {{${key}}}.`);
      return v;
    });
    for (const st of parseSqlFile(text)) {
      const m = /^CREATE\s+VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)/i.exec(st.sql);
      if (!m) throw new ConfigError(`View file ${file}: expected CREATE VIEW statements only.`);
      views.push({ name: m[1] as string, sql: st.sql, checksum: createHash('sha256').update(st.sql).digest('hex') });
    }
  }
  return views;
}

/** Creates or re-creates the views whose rendering differs from the recorded one. Returns the names re-created. */
export async function syncViews(
  executor: SqlExecutor,
  params: ViewParams,
  options: { logger?: Logger; signal?: AbortSignal; now?: () => Date } = {},
): Promise<string[]> {
  const views = renderViews(params);
  const recorded = new Map<string, string>();
  for (const row of await executor.rows<{ name: string; checksum: string }>(
    'SELECT name, argMax(checksum, applied_at) AS checksum FROM schema_views GROUP BY name',
    options.signal,
  )) {
    recorded.set(row.name, row.checksum);
  }
  const existing = new Set(
    (await executor.rows<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase()', options.signal)).map((r) => r.name),
  );
  const stale = views.some((v) => recorded.get(v.name) !== v.checksum || !existing.has(v.name));
  if (!stale) return [];
  // Views depend on each other (code_labels): drop all in reverse order, create all in order.
  for (const v of [...views].reverse()) await executor.exec(`DROP TABLE IF EXISTS ${v.name}`, options.signal);
  for (const v of views) await executor.exec(v.sql, options.signal);
  const at = toClickHouseDateTime(options.now?.() ?? new Date());
  await executor.insert(
    'schema_views',
    views.map((v) => ({ name: v.name, checksum: v.checksum, params: JSON.stringify(params), applied_at: at })),
    options.signal,
  );
  options.logger?.info({ views: views.length, k: params.k }, 'Created the published views.');
  return views.map((v) => v.name);
}
