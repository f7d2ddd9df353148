import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeedbackEventLine } from '../../src/connectors/feedback-events/parse.js';
import { corpusLine, corpusLines, generateEvent, Rng, vin, writeCorpus } from '../../scripts/gen-corpus.js';

const N = 4000;
const lines = [...corpusLines(7, N)];
const outcomes = lines.map((l, i) => parseFeedbackEventLine(l, `mem:${i + 1}`, () => new Date('2026-11-23T00:00:00Z')));
const events = outcomes.flatMap((o) => (o.kind === 'event' ? [o.event] : []));

describe('gen-corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is deterministic from the seed, and line i does not depend on the corpus size', () => {
    expect([...corpusLines(7, 200)]).toEqual(lines.slice(0, 200));
    expect([...corpusLines(7, 50, 300)]).toEqual(lines.slice(300, 350));
    const other = [...corpusLines(8, 200)];
    expect(other.filter((l, i) => l === lines[i]).length).toBe(0);
  });

  it('writes valid FeedbackEvent lines with a small share of malformed ones that dead-letter', () => {
    const dead = outcomes.filter((o) => o.kind === 'dead_letter').length;
    expect(outcomes.filter((o) => o.kind === 'skipped')).toHaveLength(0);
    // 0.5% of 4000 is 20: allow wide statistical room, but not zero and not many.
    expect(dead).toBeGreaterThanOrEqual(5);
    expect(dead).toBeLessThanOrEqual(50);
    expect(events.length + dead).toBe(N);
  });

  it('mixes the five channels, lengths 5–500 with a median near 60, ~10% Traditional', () => {
    const channels = new Set(events.map((e) => e.channel));
    expect([...channels].sort()).toEqual(['dealer', 'hotline', 'private_domain', 'social', 'survey']);
    const lengths = events.map((e) => [...e.text].length).sort((a, b) => a - b);
    expect(lengths[0]).toBeGreaterThanOrEqual(5);
    expect(lengths.at(-1)).toBeLessThanOrEqual(500);
    // Well-formed UTF-16: no emoji cut in half.
    expect(events.every((e) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(e.text))).toBe(true);
    const median = lengths[lengths.length >> 1]!;
    expect(median).toBeGreaterThanOrEqual(50);
    expect(median).toBeLessThanOrEqual(70);
    const traditional = [...Array(N).keys()].filter((i) => generateEvent(7, i).meta.traditional !== null).length / N;
    expect(traditional).toBeGreaterThan(0.07);
    expect(traditional).toBeLessThan(0.13);
  });

  it('puts PII in some texts: phones, VINs, plates, e-mail', () => {
    const texts = events.map((e) => e.text);
    expect(texts.some((t) => /1[3-9]\d[ -]?\d{4}[ -]?\d{4}/.test(t))).toBe(true);
    expect(texts.some((t) => /[A-HJ-NPR-Z0-9]{17}/.test(t))).toBe(true);
    expect(texts.some((t) => /[京沪粤浙苏川鄂鲁豫闽陕渝][A-Z]·?[A-Z0-9]{5,6}/.test(t))).toBe(true);
    expect(texts.some((t) => /@\w+\.com/.test(t))).toBe(true);
    const withPii = [...Array(N).keys()].filter((i) => generateEvent(7, i).meta.pii).length / N;
    expect(withPii).toBeGreaterThan(0.03);
    expect(withPii).toBeLessThan(0.1);
  });

  it('makes VINs whose check digit is valid', () => {
    const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    const value = (c: string): number => (/\d/.test(c) ? Number(c) : 'A1B2C3D4E5F6G7H8J1K2L3M4N5P7R9S2T3U4V5W6X7Y8Z9'.split(c)[1]!.charCodeAt(0) - 48);
    const r = new Rng(1, 1);
    for (let k = 0; k < 100; k++) {
      const v = vin(r);
      expect(v).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
      const sum = [...v].reduce((s, c, i) => s + value(c) * weights[i]!, 0) % 11;
      expect(v[8]).toBe(sum === 10 ? 'X' : String(sum));
    }
  });

  it('streams a file of the requested size, identical to the lines in memory', async () => {
    const out = join(dir, 'c.jsonl');
    const res = await writeCorpus(out, 7, 1000);
    const text = readFileSync(out, 'utf8');
    expect(res.lines).toBe(1000);
    expect(res.bytes).toBe(Buffer.byteLength(text));
    expect(text.split('\n').slice(0, -1)).toEqual(lines.slice(0, 1000));
    expect(corpusLine(7, 999)).toBe(lines[999]);
  });
});
