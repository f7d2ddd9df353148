import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SqlExecutor } from './executor.js';
import { versionAtLeast, type Version } from './version.js';

/**
 * Versioned migrations: schemas/clickhouse/migrations/NNNN_name.sql, applied in order and recorded
 * in schema_migrations (version, name, applied_at, checksum). Every statement is idempotent
 * (IF NOT EXISTS), so a migration interrupted half-way is simply run again.
 *
 * A statement preceded by `-- @since X.Y` runs only on servers >= X.Y, one preceded by
 * `-- @before X.Y` only on older ones: that is how one file carries the 18.16 and the current
 * variant. The checksum is over the whole file, so it does not depend on the server.
 */
export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: GatedStatement[];
}

export interface GatedStatement {
  sql: string;
  since?: string;
  before?: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  applied: boolean;
}

/** The package's schemas/clickhouse directory, from src/ (tsx) or dist/src/ (built). */
export function schemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas', 'clickhouse');
    if (existsSync(join(candidate, 'migrations'))) return candidate;
    dir = resolve(dir, '..');
  }
  throw new PipelineError('Cannot find schemas/clickhouse/migrations above the sink module.', { code: 'SCHEMA_MISSING' });
}

/** Splits a .sql file into statements (on `;` at the end of a line) and reads their gates. */
export function parseSqlFile(text: string): GatedStatement[] {
  const statements: GatedStatement[] = [];
  let lines: string[] = [];
  let gate: { since?: string; before?: string } = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const g = /^--\s*@(since|before)\s+(\d+\.\d+(?:\.\d+)?)\s*$/.exec(trimmed);
    if (g) {
      gate = { ...gate, [g[1] as 'since' | 'before']: g[2] };
      continue;
    }
    if (trimmed.startsWith('--') || (trimmed === '' && lines.length === 0)) continue;
    lines.push(line);
    if (trimmed.endsWith(';')) {
      const sql = lines.join('\n').trim().replace(/;\s*$/, '');
      if (sql !== '') statements.push({ sql, ...gate });
      lines = [];
      gate = {};
    }
  }
  const rest = lines.join('\n').trim();
  if (rest !== '') statements.push({ sql: rest, ...gate });
  return statements;
}

export function statementApplies(statement: GatedStatement, version: Version): boolean {
  if (statement.since !== undefined && !versionAtLeast(version, statement.since)) return false;
  if (statement.before !== undefined && versionAtLeast(version, statement.before)) return false;
  return true;
}

export function loadMigrations(dir = join(schemaDir(), 'migrations')): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const m = /^(\d{4})_(.+)\.sql$/.exec(file) as RegExpExecArray;
    return {
      version: Number(m[1]),
      name: m[2] as string,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements: parseSqlFile(text),
    };
  });
}

const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version UInt32,
    name String,
    applied_at DateTime('UTC'),
    checksum String
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`;

export function toClickHouseDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Applies the migrations not yet recorded; idempotent. A recorded migration whose file changed
 * since is reported (warn), never re-run: a released migration is never edited, a new one is added.
 */
export async function migrate(
  executor: SqlExecutor,
  version: Version,
  options: { logger?: Logger; migrations?: Migration[]; signal?: AbortSignal; now?: () => Date } = {},
): Promise<AppliedMigration[]> {
  const migrations = options.migrations ?? loadMigrations();
  await executor.exec(SCHEMA_MIGRATIONS_DDL, options.signal);
  const done = new Map<number, string>();
  for (const row of await executor.rows<{ version: number | string; checksum: string }>(
    'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
    options.signal,
  )) {
    done.set(Number(row.version), row.checksum);
  }
  const result: AppliedMigration[] = [];
  for (const m of migrations) {
    const recorded = done.get(m.version);
    if (recorded !== undefined) {
      if (recorded !== m.checksum) {
        options.logger?.warn({ version: m.version, name: m.name }, 'Applied migration differs from its file; not re-run.');
      }
      result.push({ version: m.version, name: m.name, checksum: m.checksum, applied: false });
      continue;
    }
    for (const st of m.statements) {
      if (statementApplies(st, version)) await executor.exec(st.sql, options.signal);
    }
    await executor.insert(
      'schema_migrations',
      [{ version: m.version, name: m.name, applied_at: toClickHouseDateTime(options.now?.() ?? new Date()), checksum: m.checksum }],
      options.signal,
    );
    options.logger?.info({ version: m.version, name: m.name }, 'Applied migration.');
    result.push({ version: m.version, name: m.name, checksum: m.checksum, applied: true });
  }
  return result;
}
