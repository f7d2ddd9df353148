import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageError } from '../core/errors.js';
import { eventId, type FeedbackEvent } from '../core/feedback-event.js';
import { createNlpStage, type NlpStage } from './stage.js';
import { NlpWorkerPool } from './worker-pool.js';

const TEXTS = ['車機常常當機，換擋頓挫，電話13812345678', '动力还行就是油耗太高', '没有顿挫，座椅很舒服', '客服态度很差，打了三次电话都没人接', '外观好看'];

function event(i: number): FeedbackEvent {
  const sourceId = `pool-${i}`;
  return {
    schemaVersion: 1,
    id: eventId('social', 'social.weibo', sourceId),
    channel: 'social',
    source: 'social.weibo',
    sourceId,
    occurredAt: '2026-10-01T08:00:00+08:00',
    receivedAt: '2026-10-01T00:00:01.000Z',
    text: `${TEXTS[i % TEXTS.length]!}${i}`,
    authorKey: null,
    context: {},
    consent: { coCreation: false },
  };
}

describe('NlpWorkerPool', () => {
  let pool: NlpWorkerPool;
  let stage: NlpStage;
  beforeAll(async () => {
    [pool, stage] = await Promise.all([NlpWorkerPool.start({ workers: 2 }), createNlpStage()]);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('gives the in-process stage result for every event, in input order, over both threads', async () => {
    const events = Array.from({ length: 120 }, (_, i) => event(i));
    const outcomes = await pool.processAll(events, 16);
    expect(outcomes).toHaveLength(events.length);
    outcomes.forEach((o, i) => {
      expect(o.ok).toBe(true);
      if (o.ok) {
        const local = stage.process(events[i]!);
        expect(o.out).toStrictEqual(local);
        expect(JSON.stringify(o.out)).toBe(JSON.stringify(local)); // same fields in the same order
      }
    });
  });

  it('reports an event the stage throws on as a StageError and goes on with the others', async () => {
    const bad = { ...event(1), text: undefined } as unknown as FeedbackEvent;
    const [a, b, c] = await pool.process([event(0), bad, event(2)]);
    expect(a?.ok).toBe(true);
    expect(c?.ok).toBe(true);
    expect(b?.ok).toBe(false);
    if (b && !b.ok) expect(b.error).toBeInstanceOf(StageError);
  });

  it('refuses work once closed', async () => {
    const p = await NlpWorkerPool.start({ workers: 1 });
    await p.close();
    await expect(p.process([event(0)])).rejects.toBeInstanceOf(StageError);
  });

  it('rejects a worker count that is not a positive integer', async () => {
    await expect(NlpWorkerPool.start({ workers: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
