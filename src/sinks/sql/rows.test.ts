import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { makeEvent } from '../../../test/contract/sink-fixtures.js';
import { authorBucket, businessDay, mapEvent } from './rows.js';

const opts = { bucketKey: 'k'.repeat(32), dayOffsetMinutes: 480, verbatims: 'redacted' as const };

describe('mapEvent', () => {
  it('keeps no author key, source id or text; only a 64-bit author bucket', () => {
    const e = makeEvent({ sourceId: 'S-123', author: 'someone', hits: [{ code: 'PWR.TRANS.JERK', clause: '换挡顿挫' }] });
    const m = mapEvent(e, opts);
    const json = JSON.stringify(m.event);
    expect(json).not.toContain(e.event.authorKey as string);
    expect(json).not.toContain('S-123');
    expect(json).not.toContain('换挡顿挫');
    expect(m.event.author_bucket).toMatch(/^[0-9a-f]{16}$/);
    expect(m.verbatims).toEqual([expect.objectContaining({ code: 'PWR.TRANS.JERK', text: '换挡顿挫' })]);
    expect(mapEvent(e, { ...opts, verbatims: 'off' }).verbatims).toEqual([]);
  });

  it('takes the business day in China Standard Time and rotates the author bucket by month', () => {
    expect(businessDay(new Date('2026-03-31T17:30:00Z'), 480)).toEqual({ day: '2026-04-01', period: 202604 });
    const a = authorBucket(opts.bucketKey, 202603, 'f'.repeat(32));
    expect(authorBucket(opts.bucketKey, 202603, 'f'.repeat(32))).toBe(a);
    expect(authorBucket(opts.bucketKey, 202604, 'f'.repeat(32))).not.toBe(a);
    expect(authorBucket('another-key-0123456789', 202603, 'f'.repeat(32))).not.toBe(a);
    expect(authorBucket(opts.bucketKey, 202603, null)).toBe('');
  });

  it('makes one mention per code: several hits on a code count once, with their number', () => {
    const e = makeEvent({ sourceId: 'x', hits: [{ code: 'A.B.C', sentiment: -1 }, { code: 'A.B.C', sentiment: -1, clause: '又' }, { code: 'D.E.F', sentiment: 1 }] });
    const m = mapEvent(e, opts);
    expect(m.event.codes).toEqual(['A.B.C', 'D.E.F']);
    expect(m.event.code_hits).toEqual([2, 1]);
    expect(m.event.code_sentiments).toEqual([-1, 1]);
    expect(m.event.code_components).toEqual(['A.B', 'D.E']);
    expect(m.event.hit_count).toBe(3);
  });

  it('refuses what would not fit the columns with a ValidationError, never another error', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (occurredAt, id) => {
        const e = makeEvent({ sourceId: 'p', occurredAt });
        e.event.id = /^[0-9a-f]{32}$/.test(id) ? id : id.slice(0, 40);
        try {
          const m = mapEvent(e, opts);
          expect(m.event.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
        }
      }),
    );
    expect(() => mapEvent(makeEvent({ sourceId: 'old', occurredAt: '1969-12-31T00:00:00Z' }), opts)).toThrow(ValidationError);
  });
});
