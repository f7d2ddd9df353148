import type { Session } from 'chdb';
import type { QueryFormat } from '../sink.js';
import type { InsertSettings, SqlExecutor } from '../sql/executor.js';
import { closeChdbSession, openChdbSession } from './session-pool.js';

/** The SQL model's transport over chDB: one Session per sink, its current database set with USE. */
export class ChdbExecutor implements SqlExecutor {
  readonly target: string;
  readonly #session: Session;

  private constructor(session: Session, path: string, database: string) {
    this.#session = session;
    this.target = `chdb:${path}#${database}`;
  }

  static async open(path: string, database: string): Promise<ChdbExecutor> {
    const session = await openChdbSession(path);
    try {
      await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
      await session.queryAsync(`USE ${database}`);
    } catch (err) {
      closeChdbSession(session);
      throw err;
    }
    return new ChdbExecutor(session, path, database);
  }

  async exec(sql: string, signal?: AbortSignal): Promise<void> {
    await this.#session.queryAsync(sql, { format: 'TSV', ...(signal ? { signal } : {}) });
  }

  async rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]> {
    const text = (await this.#session.queryAsync(sql, { format: 'JSONEachRow', ...(signal ? { signal } : {}) })).text();
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as T);
  }

  async text(sql: string, format: QueryFormat, signal?: AbortSignal): Promise<string> {
    return (await this.#session.queryAsync(sql, { format, ...(signal ? { signal } : {}) })).text();
  }

  async insert(table: string, rows: readonly object[], signal?: AbortSignal): Promise<void> {
    if (rows.length === 0) return;
    const payload = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
    await this.#session.insert({ table, values: payload, format: 'JSONEachRow', ...(signal ? { signal } : {}) });
  }

  async insertTsv(table: string, columns: readonly string[], payload: Buffer, signal?: AbortSignal, settings?: InsertSettings): Promise<void> {
    if (payload.length === 0) return;
    // The engine parses the bytes in C++; JS builds no row objects.
    await this.#session.insert({ table, columns, values: payload, format: 'TabSeparated', ...(settings ? { settings } : {}), ...(signal ? { signal } : {}) });
  }

  async close(): Promise<void> {
    closeChdbSession(this.#session);
  }
}
