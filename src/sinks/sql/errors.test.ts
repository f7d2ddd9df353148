import { describe, expect, it } from 'vitest';
import { ConnectionError, SinkRejectedError } from '../../core/errors.js';
import { classifyClickHouseError, clickHouseCode, isDataRejection, toSinkError } from './errors.js';

describe('ClickHouse error classification', () => {
  it('reads the code from 18.16 and current messages, chDB errors and clickhouse-js errors', () => {
    expect(clickHouseCode(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input'))).toBe(27);
    expect(clickHouseCode(new Error('Code: 53. DB::Exception: Type mismatch'))).toBe(53);
    expect(clickHouseCode(Object.assign(new Error('x'), { clickhouseCode: 117 }))).toBe(117);
    expect(clickHouseCode(Object.assign(new Error('x'), { code: '60' }))).toBe(60);
    expect(clickHouseCode(new Error('no code here'))).toBeUndefined();
  });

  it('classifies by table: data, query, transient', () => {
    expect(classifyClickHouseError(new Error('Code: 117, e.displayText() = DB::Exception: bad'))).toBe('data');
    expect(classifyClickHouseError(new Error('Code: 26. DB::Exception: x'))).toBe('data');
    expect(classifyClickHouseError(new Error('Code: 62. DB::Exception: Syntax error'))).toBe('query');
    expect(classifyClickHouseError(new Error('Code: 241. DB::Exception: Memory limit'))).toBe('transient');
    expect(classifyClickHouseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyClickHouseError(new Error('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe('transient');
    expect(classifyClickHouseError(new TypeError('x is not a function'))).toBe('query');
  });

  it('wraps as typed pipeline errors with the server code', () => {
    const data = toSinkError(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse'), 'Insert');
    expect(data).toBeInstanceOf(SinkRejectedError);
    expect(data).toMatchObject({ retriable: false, serverCode: 27, code: 'SINK_DATA_REJECTED' });
    expect(isDataRejection(data)).toBe(true);
    const query = toSinkError(new Error('Code: 60. DB::Exception: Table x does not exist'), 'Query');
    expect(query).toMatchObject({ retriable: false, serverCode: 60, code: 'SINK_QUERY_REJECTED' });
    expect(isDataRejection(query)).toBe(false);
    const down = toSinkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'Insert');
    expect(down).toBeInstanceOf(ConnectionError);
    expect(down.retriable).toBe(true);
  });
});
