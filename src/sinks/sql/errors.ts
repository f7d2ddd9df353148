import { ConnectionError, PipelineError, SinkRejectedError } from '../../core/errors.js';

/**
 * ClickHouse errors classified by table (../shared/STYLE.md): a data error is permanent for the
 * records that caused it (the sink isolates them by bisection and hands them back as rejected), a
 * query error is permanent for the whole call (a bug or an operator matter), and a transient error
 * is retried with backoff. Codes: https://github.com/ClickHouse/ClickHouse/blob/master/src/Common/ErrorCodes.cpp
 */
export type ClickHouseErrorKind = 'data' | 'query' | 'transient';

export const CLICKHOUSE_ERROR_KINDS: Readonly<Record<number, ClickHouseErrorKind>> = {
  // Data: the rows do not fit the table.
  6: 'data', // CANNOT_PARSE_TEXT
  26: 'data', // CANNOT_PARSE_QUOTED_STRING
  27: 'data', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38: 'data', // CANNOT_PARSE_DATE
  41: 'data', // CANNOT_PARSE_DATETIME
  53: 'data', // TYPE_MISMATCH
  69: 'data', // ARGUMENT_OUT_OF_BOUND
  70: 'data', // CANNOT_CONVERT_TYPE
  72: 'data', // CANNOT_PARSE_NUMBER
  117: 'data', // INCORRECT_DATA
  131: 'data', // TOO_LARGE_STRING_SIZE
  321: 'data', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349: 'data', // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  // Query: the statement or the account is wrong; retrying cannot help.
  16: 'query', // NO_SUCH_COLUMN_IN_TABLE
  43: 'query', // ILLEGAL_TYPE_OF_ARGUMENT
  46: 'query', // UNKNOWN_FUNCTION
  47: 'query', // UNKNOWN_IDENTIFIER
  60: 'query', // UNKNOWN_TABLE
  62: 'query', // SYNTAX_ERROR
  81: 'query', // UNKNOWN_DATABASE
  115: 'query', // UNKNOWN_SETTING
  164: 'query', // READONLY
  192: 'query', // UNKNOWN_USER
  193: 'query', // WRONG_PASSWORD
  497: 'query', // ACCESS_DENIED
  516: 'query', // AUTHENTICATION_FAILED
  // Transient: the server is busy, restarting or unreachable.
  3: 'transient', // UNEXPECTED_END_OF_FILE
  32: 'transient', // ATTEMPT_TO_READ_AFTER_EOF (a truncated request body)
  159: 'transient', // TIMEOUT_EXCEEDED
  160: 'transient', // TOO_SLOW
  202: 'transient', // TOO_MANY_SIMULTANEOUS_QUERIES
  203: 'transient', // NO_FREE_CONNECTION
  209: 'transient', // SOCKET_TIMEOUT
  210: 'transient', // NETWORK_ERROR
  236: 'transient', // ABORTED
  241: 'transient', // MEMORY_LIMIT_EXCEEDED
  242: 'transient', // TABLE_IS_READ_ONLY
  252: 'transient', // TOO_MANY_PARTS
  285: 'transient', // TOO_FEW_LIVE_REPLICAS
  319: 'transient', // UNKNOWN_STATUS_OF_INSERT
  394: 'transient', // QUERY_WAS_CANCELLED
  425: 'transient', // SYSTEM_ERROR
  999: 'transient', // KEEPER_EXCEPTION
};

/** Node socket errors that mean "not reachable right now". */
const TRANSIENT_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'ECONNABORTED']);

/**
 * The ClickHouse code in an error: chDB's `clickhouseCode`, clickhouse-js's numeric `code`, or
 * parsed from the message ("Code: 47. DB::Exception" on current servers, "Code: 47, e.displayText()"
 * on 18.16 — clickhouse-js does not parse the old form, so the message is the fallback).
 */
export function clickHouseCode(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { clickhouseCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e.clickhouseCode === 'number') return e.clickhouseCode;
  if (typeof e.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (typeof e.message === 'string') {
    const m = /Code:\s*(\d+)[.,]/.exec(e.message);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function syscallCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_SYSCALL_CODES.has(code)) return code;
    const msg = (e as { message?: unknown }).message;
    if (typeof msg === 'string' && /socket hang up|Timeout error|ECONNREFUSED|ECONNRESET|other side closed|fetch failed/i.test(msg)) return 'ESOCKET';
  }
  return undefined;
}

export function classifyClickHouseError(err: unknown): ClickHouseErrorKind {
  const code = clickHouseCode(err);
  if (code !== undefined) return CLICKHOUSE_ERROR_KINDS[code] ?? 'query';
  if (syscallCode(err) !== undefined) return 'transient';
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return 'query';
  // No code and no socket error: an HTTP-level failure (proxy, 5xx page). Worth another try.
  return 'transient';
}

/** Wraps a transport error as the pipeline's typed error: SinkRejectedError or ConnectionError. */
export function toSinkError(err: unknown, what: string): PipelineError {
  if (err instanceof PipelineError) return err;
  const kind = classifyClickHouseError(err);
  const serverCode = clickHouseCode(err);
  const detail = err instanceof Error ? err.message.split('\n')[0]?.slice(0, 500) : String(err);
  if (kind === 'transient') {
    return new ConnectionError(`${what} failed: the store is unreachable or busy (${detail}).`, {
      code: serverCode === undefined ? 'STORE_UNREACHABLE' : `CLICKHOUSE_${serverCode}`,
      cause: err,
    });
  }
  return new SinkRejectedError(`${what} was refused by the store (${detail}).`, {
    code: kind === 'data' ? 'SINK_DATA_REJECTED' : 'SINK_QUERY_REJECTED',
    ...(serverCode === undefined ? {} : { serverCode }),
    cause: err,
  });
}

export function isDataRejection(err: unknown): boolean {
  return err instanceof SinkRejectedError && err.code === 'SINK_DATA_REJECTED';
}
