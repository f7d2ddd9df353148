import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VocConfigSchema } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { parseRoles, RateLimitConfigSchema, resolveServiceConfig, ServiceConfigSchema } from './config.js';
import { bodyFormat, RequestError, splitBody } from './ingest.js';

const config = (raw: Record<string, unknown> = {}) => VocConfigSchema.parse(raw);

describe('service config', () => {
  it('has defaults: loopback, 8080, both roles, 300 s replay window', () => {
    const s = resolveServiceConfig(config());
    expect(s).toMatchObject({ host: '127.0.0.1', port: 8080, roles: ['ingest', 'process'], replayWindowSeconds: 300 });
  });

  it('applies flags over the file and names a bad key', () => {
    const s = resolveServiceConfig(config({ service: { port: 9000, rateLimit: { burst: 7 } } }), { port: 0, host: '0.0.0.0' });
    expect(s).toMatchObject({ port: 0, host: '0.0.0.0', rateLimit: { burst: 7, requestsPerSecond: 50 } });
    try {
      resolveServiceConfig(config({ service: { prot: 1 } }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/service/);
      expect((err as Error).message).toMatch(/prot/);
    }
  });

  it('splits roles only over Kafka', () => {
    expect(() => resolveServiceConfig(config(), { roles: ['ingest'] })).toThrow(ConfigError);
    expect(resolveServiceConfig(config({ bus: { kind: 'kafka' } }), { roles: ['process'] }).roles).toEqual(['process']);
  });

  it('documents every key in docs/operations.md', () => {
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const keys = [...Object.keys(ServiceConfigSchema.shape).map((k) => `service.${k}`), ...Object.keys(RateLimitConfigSchema.shape).map((k) => `service.rateLimit.${k}`)];
    for (const key of keys) if (key !== 'service.rateLimit') expect(doc, key).toContain(`\`${key}\``);
  });

  it('parses --roles', () => {
    expect(parseRoles('ingest,process')).toEqual(['ingest', 'process']);
    expect(parseRoles('all')).toEqual(['ingest', 'process']);
    expect(parseRoles(' process ')).toEqual(['process']);
    expect(() => parseRoles('nlp')).toThrow(ConfigError);
    expect(() => parseRoles(',')).toThrow(ConfigError);
  });
});

describe('request bodies', () => {
  const limits = { maxRecords: 3, maxRecordChars: 50 };
  const err = (fn: () => unknown): RequestError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(RequestError);
      return e as RequestError;
    }
    throw new Error('expected a RequestError');
  };

  it('chooses NDJSON by content type', () => {
    expect(bodyFormat('application/x-ndjson')).toBe('ndjson');
    expect(bodyFormat('application/jsonl; charset=utf-8')).toBe('ndjson');
    expect(bodyFormat('application/x-jsonlines')).toBe('ndjson');
    expect(bodyFormat('application/json')).toBe('json');
    expect(bodyFormat(undefined)).toBe('json');
  });

  it('splits one record, an array, or NDJSON lines (numbered by line)', () => {
    expect(splitBody(Buffer.from('{"a":1}'), 'json', limits)).toEqual([{ n: 1, value: { a: 1 } }]);
    expect(splitBody(Buffer.from('[{"a":1},{"a":2}]'), 'json', limits)).toEqual([{ n: 1, value: { a: 1 } }, { n: 2, value: { a: 2 } }]);
    const lines = splitBody(Buffer.from('\uFEFF{"a":1}\r\n\n{bad\n{"a":3}\n'), 'ndjson', limits);
    expect(lines.map((l) => l.n)).toEqual([1, 3, 4]);
    expect(lines[1]?.error?.code).toBe('JSON_SYNTAX');
    expect(lines[2]?.value).toEqual({ a: 3 });
  });

  it('dead-letters an oversized line, refuses a bad body as a whole', () => {
    const big = splitBody(Buffer.from(`{"a":"${'x'.repeat(60)}"}\n{"a":1}`), 'ndjson', limits);
    expect(big[0]?.error?.code).toBe('RECORD_TOO_LARGE');
    expect(err(() => splitBody(Buffer.from('{"a":'), 'json', limits))).toMatchObject({ status: 400, code: 'BODY_NOT_JSON' });
    expect(err(() => splitBody(Buffer.from(' \n '), 'ndjson', limits))).toMatchObject({ status: 400, code: 'BODY_EMPTY' });
    expect(err(() => splitBody(Buffer.from('[]'), 'json', limits))).toMatchObject({ status: 400, code: 'BODY_EMPTY' });
    expect(err(() => splitBody(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'json', limits))).toMatchObject({ status: 400, code: 'BODY_NOT_UTF8' });
    expect(err(() => splitBody(Buffer.from('1\n2\n3\n4\n'), 'ndjson', limits))).toMatchObject({ status: 413, code: 'TOO_MANY_RECORDS' });
    expect(err(() => splitBody(Buffer.from('[1,2,3,4]'), 'json', limits))).toMatchObject({ status: 413, code: 'TOO_MANY_RECORDS' });
  });
});
