import { describe, expect, it } from 'vitest';
import { ConnectionError, RetriesExhaustedError } from '../../core/errors.js';
import { KafkaBusConfigSchema } from './config.js';
import { KafkaBus, nextOffset, splitRequests, toConsumedRecord, toMessage } from './kafka-bus.js';

type Message = Parameters<typeof toConsumedRecord>[2];

describe('Kafka record mapping', () => {
  it('commits the offset after the last processed one, beyond 2^53', () => {
    expect(nextOffset('0')).toBe('1');
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });

  it('turns a kafkajs message into a consumed record with string headers', () => {
    const r = toConsumedRecord('t', 3, {
      key: Buffer.from('k1'),
      value: Buffer.from('v'),
      offset: '17',
      timestamp: '0',
      attributes: 0,
      size: 0,
      headers: { a: Buffer.from('x'), b: 'y', c: [Buffer.from('z'), 'w'], d: undefined },
    } as unknown as Message);
    expect(r).toEqual({ topic: 't', partition: 3, offset: '17', key: 'k1', value: Buffer.from('v'), headers: { a: 'x', b: 'y', c: 'z' } });
  });

  it('maps a null key and a tombstone to empty values', () => {
    const r = toConsumedRecord('t', 0, { key: null, value: null, offset: '1', timestamp: '0', attributes: 0, size: 0 } as Message);
    expect(r.key).toBe('');
    expect(r.value.length).toBe(0);
    expect(r.headers).toBeUndefined();
  });

  it('keeps the key and omits empty headers when publishing', () => {
    expect(toMessage({ key: 'k', value: Buffer.from('v'), headers: {} })).toEqual({ key: 'k', value: Buffer.from('v') });
    expect(toMessage({ key: 'k', value: Buffer.from('v'), headers: { h: '1' } }).headers).toEqual({ h: '1' });
  });
});

describe('KafkaBus without a broker', () => {
  const bus = (): KafkaBus => new KafkaBus(KafkaBusConfigSchema.parse({ brokers: ['127.0.0.1:1'] }));

  it('refuses to publish, subscribe or report lag before connect, with a typed error', async () => {
    const b = bus();
    await expect(b.publish('t', [{ key: 'k', value: Buffer.from('v') }])).rejects.toBeInstanceOf(ConnectionError);
    await expect(b.subscribe({ topics: ['t'], group: 'g', handler: () => Promise.resolve() })).rejects.toMatchObject({ code: 'BUS_CLOSED' });
    await expect(b.lag('g', 't')).rejects.toBeInstanceOf(ConnectionError);
    await expect(b.healthcheck()).resolves.toEqual({ ok: false, detail: 'not connected' });
  });

  it('is unhealthy and refuses to connect once closed', async () => {
    const b = bus();
    await b.close();
    await expect(b.healthcheck()).resolves.toMatchObject({ ok: false, detail: 'closed' });
    await expect(b.connect()).rejects.toMatchObject({ code: 'BUS_CLOSED', retriable: false });
  });
});

describe('splitRequests', () => {
  const msg = (key: string, bytes: number) => ({ key, value: Buffer.alloc(bytes - key.length) });

  it('keeps every message once, in order per topic, within the byte limit per request', () => {
    const byTopic = new Map([
      ['a', [msg('a1', 400), msg('a2', 400), msg('a3', 400)]],
      ['b', [msg('b1', 300), msg('b2', 900)]],
    ]);
    const requests = splitRequests(byTopic, 1000);
    for (const r of requests) {
      const bytes = r.flatMap((e) => e.messages).reduce((n, m) => n + (m.value as Buffer).length + String(m.key).length, 0);
      expect(bytes).toBeLessThanOrEqual(1000);
    }
    const flat = (t: string) => requests.flatMap((r) => r.filter((e) => e.topic === t).flatMap((e) => e.messages.map((m) => m.key)));
    expect(flat('a')).toEqual(['a1', 'a2', 'a3']);
    expect(flat('b')).toEqual(['b1', 'b2']);
    expect(requests.length).toBe(3);
  });

  it('sends a single message larger than the limit alone', () => {
    const requests = splitRequests(new Map([['t', [msg('x', 10), msg('y', 5000), msg('z', 10)]]]), 1000);
    expect(requests.map((r) => r.flatMap((e) => e.messages.map((m) => m.key)))).toEqual([['x'], ['y'], ['z']]);
  });
});

describe('KafkaBus with no broker listening', () => {
  it('gives up connecting with RetriesExhaustedError whose cause is a retriable ConnectionError', async () => {
    // Port 1 on loopback: refused at once, no network involved.
    const bus = new KafkaBus(KafkaBusConfigSchema.parse({ brokers: ['127.0.0.1:1'], retries: 0, retryInitialDelayMs: 1, retryMaxDelayMs: 2, connectionTimeoutMs: 200 }));
    const err = await bus.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).cause).toBeInstanceOf(ConnectionError);
    expect((err as RetriesExhaustedError).cause).toMatchObject({ retriable: true });
    await expect(bus.healthcheck()).resolves.toMatchObject({ ok: false });
    await bus.close();
  });
});
