import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadLetterFrom } from '../../core/dead-letter.js';
import { ValidationError } from '../../core/errors.js';
import { DLQ_HEADERS, deadLetterHeaders, parseDeadLetterHeaders } from './dead-letter-headers.js';

describe('dead-letter headers', () => {
  it('carry reason, code, stage, attempt and the source offset, and read back', () => {
    const letter = deadLetterFrom({ stage: 'parse', error: new ValidationError('Not JSON: unexpected token at 0.', { code: 'NOT_JSON' }), position: 'voc.raw.hotline/2/41', source: 'hotline', payload: 'x{' });
    const headers = deadLetterHeaders(letter, { topic: 'voc.raw.hotline', partition: 2, offset: '41' });
    expect(headers[DLQ_HEADERS.reason]).toBe('Not JSON: unexpected token at 0.');
    expect(headers[DLQ_HEADERS.sourceOffset]).toBe('41');
    expect(parseDeadLetterHeaders(headers)).toEqual({
      reason: 'Not JSON: unexpected token at 0.',
      code: 'NOT_JSON',
      stage: 'parse',
      attempt: 1,
      source: { topic: 'voc.raw.hotline', partition: 2, offset: '41' },
      position: 'voc.raw.hotline/2/41',
      at: letter.at,
    });
  });

  it('cut a long reason and derive the position from the source', () => {
    const headers = deadLetterHeaders({ reason: 'x'.repeat(5000), code: 'C', stage: 'nlp', attempt: 3 }, { topic: 't', partition: 0, offset: '9' });
    expect(headers[DLQ_HEADERS.reason]).toHaveLength(1000);
    expect(headers[DLQ_HEADERS.position]).toBe('t/0/9');
  });

  it('are not ours without a reason or a known stage, and ignore a broken source', () => {
    expect(parseDeadLetterHeaders(undefined)).toBeNull();
    expect(parseDeadLetterHeaders({ [DLQ_HEADERS.reason]: 'r' })).toBeNull();
    expect(parseDeadLetterHeaders({ [DLQ_HEADERS.reason]: 'r', [DLQ_HEADERS.stage]: 'bogus' })).toBeNull();
    const parsed = parseDeadLetterHeaders({ [DLQ_HEADERS.reason]: 'r', [DLQ_HEADERS.stage]: 'sink', [DLQ_HEADERS.sourceTopic]: 't', [DLQ_HEADERS.sourcePartition]: '-1', [DLQ_HEADERS.sourceOffset]: '5' });
    expect(parsed?.source).toBeNull();
    expect(parsed?.attempt).toBe(1);
  });

  it('never throw on arbitrary header maps (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.values(DLQ_HEADERS), 'other'), fc.string()), (h) => {
        const parsed = parseDeadLetterHeaders(h);
        if (parsed) {
          expect(parsed.reason).toBe(h[DLQ_HEADERS.reason]);
          expect(parsed.attempt).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('round-trip any reason, stage and source (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 1000 }),
        fc.constantFrom('read', 'parse', 'validate', 'bus', 'nlp', 'sink' as const),
        fc.integer({ min: 1, max: 100 }),
        fc.nat({ max: 1000 }),
        fc.bigInt({ min: 0n, max: 2n ** 62n }),
        (reason, stage, attempt, partition, offset) => {
          const source = { topic: 'voc.raw.social', partition, offset: offset.toString() };
          const back = parseDeadLetterHeaders(deadLetterHeaders({ reason, code: 'X', stage, attempt }, source));
          expect(back).toMatchObject({ reason, stage, attempt, source });
        },
      ),
    );
  });
});
