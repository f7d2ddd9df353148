import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { QueryFormat } from '../sink.js';
import type { InsertSettings, SqlExecutor } from '../sql/executor.js';

/** Formats @clickhouse/client can read with query(); others go through exec() with FORMAT appended. */
const CLIENT_FORMATS = new Set<QueryFormat>(['JSONEachRow', 'CSVWithNames', 'TSV', 'TSVWithNames', 'JSON']);

export interface ClickHouseExecutorOptions {
  url: string;
  database: string;
  username: string;
  password: string;
  requestTimeoutMs: number;
}

/**
 * The SQL model's transport over HTTP with @clickhouse/client. Measured against Debian's 18.16:
 * ping, query (JSONEachRow/TSV), command and insert (JSONEachRow) work as is — the client sends no
 * settings the old server rejects. Two differences are handled elsewhere: 18.16 words its errors
 * "Code: 47, e.displayText() = …", which the client does not parse into `code` (sql/errors.ts
 * reads it from the message), and the client's own logger is turned off (the sink logs, once,
 * through pino).
 */
export class ClickHouseExecutor implements SqlExecutor {
  readonly target: string;
  readonly #client: ClickHouseClient;

  private constructor(client: ClickHouseClient, target: string) {
    this.#client = client;
    this.target = target;
  }

  static async open(o: ClickHouseExecutorOptions, signal?: AbortSignal): Promise<ClickHouseExecutor> {
    const base = {
      url: o.url,
      username: o.username,
      password: o.password,
      request_timeout: o.requestTimeoutMs,
      log: { level: ClickHouseLogLevel.OFF },
    };
    // The database may not exist yet: create it through a client bound to `default`.
    const admin = createClient({ ...base, database: 'default' });
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${o.database}`, ...(signal ? { abort_signal: signal } : {}) });
    } finally {
      await admin.close();
    }
    const url = new URL(o.url);
    return new ClickHouseExecutor(createClient({ ...base, database: o.database }), `${url.protocol}//${url.host}#${o.database}`);
  }

  async exec(sql: string, signal?: AbortSignal): Promise<void> {
    await this.#client.command({ query: sql, ...(signal ? { abort_signal: signal } : {}) });
  }

  async rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]> {
    const rs = await this.#client.query({ query: sql, format: 'JSONEachRow', ...(signal ? { abort_signal: signal } : {}) });
    return rs.json<T>();
  }

  async text(sql: string, format: QueryFormat, signal?: AbortSignal): Promise<string> {
    if (CLIENT_FORMATS.has(format)) {
      const rs = await this.#client.query({ query: sql, format: format as 'JSONEachRow', ...(signal ? { abort_signal: signal } : {}) });
      return rs.text();
    }
    const r = await this.#client.exec({
      query: `${sql.trim().replace(/;\s*$/, '')}\nFORMAT ${format}`,
      clickhouse_settings: { output_format_pretty_color: '0' } as never,
      ...(signal ? { abort_signal: signal } : {}),
    });
    let out = '';
    for await (const chunk of r.stream) out += chunk.toString();
    return out;
  }

  async insert(table: string, rows: readonly object[], signal?: AbortSignal): Promise<void> {
    if (rows.length === 0) return;
    await this.#client.insert({ table, values: rows as object[], format: 'JSONEachRow', ...(signal ? { abort_signal: signal } : {}) });
  }

  async insertTsv(table: string, columns: readonly string[], payload: Buffer, signal?: AbortSignal, settings?: InsertSettings): Promise<void> {
    if (payload.length === 0) return;
    // A raw format goes as a stream; the client names the columns in the INSERT (18.16 accepts it).
    await this.#client.insert({
      table,
      values: Readable.from([payload], { objectMode: false }),
      format: 'TabSeparated',
      columns: columns as [string, ...string[]],
      ...(settings ? { clickhouse_settings: settings as never } : {}),
      ...(signal ? { abort_signal: signal } : {}),
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
