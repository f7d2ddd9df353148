import type { QueryFormat } from '../sink.js';

/** Query-level settings sent with an INSERT (names as ClickHouse spells them). */
export type InsertSettings = Readonly<Record<string, string | number>>;

/**
 * The one seam between the SQL model and a transport: chDB in-process or a ClickHouse server over
 * HTTP. Everything above it (migrations, dedup, k-anonymity, views) is shared.
 */
export interface SqlExecutor {
  /** Human-readable target for logs, never with credentials. */
  readonly target: string;
  /** Runs a statement that returns nothing (DDL, ALTER, INSERT … SELECT). */
  exec(sql: string, signal?: AbortSignal): Promise<void>;
  /** Runs a SELECT and returns its rows (JSONEachRow; 64-bit integers may come back as strings). */
  rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]>;
  /** Runs a query and returns its output in the given format. */
  text(sql: string, format: QueryFormat, signal?: AbortSignal): Promise<string>;
  /** Inserts rows as JSONEachRow into `table` of the current database. */
  insert(table: string, rows: readonly object[], signal?: AbortSignal): Promise<void>;
  /**
   * Inserts pre-encoded TabSeparated bytes (UTF-8, one row per line, newline-terminated, escaped as
   * rows.ts does) into `columns` of `table`: the write path's bulk format (docs/performance.md).
   */
  insertTsv(table: string, columns: readonly string[], payload: Buffer, signal?: AbortSignal, settings?: InsertSettings): Promise<void>;
  close(): Promise<void>;
}
