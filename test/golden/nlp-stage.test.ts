/**
 * Golden tests of the whole NLP stage on the real code frame and lexicon (config/).
 *
 * Each case in test/golden/nlp/*.json has:
 * - `input`: the raw text;
 * - `must`: the curated expectation written by hand (codes/domains and polarity that must be found,
 *   hits that must not be, redactions, normalised text). Never regenerated.
 * - `expected`: the stage's full (projected) output, pinned so any change shows up as a diff.
 *   `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites it; read the diff before committing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NlpResult, Polarity } from '../../src/core/enriched-event.js';
import type { NlpStage } from '../../src/nlp/stage.js';
import { createNlpStage } from '../../src/nlp/stage.js';

interface HitSpec {
  /** Code id or a prefix of it (PWR.TRANS), or a domain label (动力). */
  code?: string;
  domain?: string;
  sentiment?: Polarity;
}

interface GoldenCase {
  input: string;
  note?: string;
  must: {
    text?: string;
    textExcludes?: string[];
    script?: NlpResult['script'];
    region?: NlpResult['region'];
    redactions?: NlpResult['redactions'];
    hits?: HitSpec[];
    noHits?: HitSpec[];
    polarity?: Polarity;
  };
  expected?: unknown;
}

const DIR = fileURLToPath(new URL('./nlp/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function project(r: NlpResult): unknown {
  return {
    text: r.text,
    script: r.script,
    region: r.region,
    redactions: r.redactions,
    tokens: r.tokens,
    hits: r.hits.map((h) => ({ code: h.code, term: h.term, span: h.span, clauseIndex: h.clauseIndex, sentiment: h.sentiment, intensity: h.intensity, source: h.sentimentSource })),
    sentiment: r.sentiment,
  };
}

function matches(h: NlpResult['hits'][number], spec: HitSpec): boolean {
  if (spec.code !== undefined && h.code !== spec.code && !h.code.startsWith(`${spec.code}.`)) return false;
  if (spec.domain !== undefined && h.domainLabel !== spec.domain && h.domain !== spec.domain) return false;
  if (spec.sentiment !== undefined && h.sentiment !== spec.sentiment) return false;
  return true;
}

describe('NLP stage golden cases', () => {
  let stage: NlpStage;
  beforeAll(async () => {
    stage = await createNlpStage();
  });

  it('has cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s', (file) => {
    const path = join(DIR, file);
    const c = JSON.parse(readFileSync(path, 'utf8')) as GoldenCase;
    const r = stage.analyze(c.input);
    const m = c.must;
    if (m.text !== undefined) expect(r.text).toBe(m.text);
    for (const s of m.textExcludes ?? []) expect(r.text).not.toContain(s);
    if (m.script !== undefined) expect(r.script).toBe(m.script);
    if (m.region !== undefined) expect(r.region).toBe(m.region);
    if (m.redactions !== undefined) expect(r.redactions).toEqual(m.redactions);
    for (const spec of m.hits ?? []) {
      expect(r.hits.some((h) => matches(h, spec)), `expected a hit ${JSON.stringify(spec)} in ${JSON.stringify(project(r))}`).toBe(true);
    }
    for (const spec of m.noHits ?? []) {
      expect(r.hits.some((h) => matches(h, spec)), `unexpected hit ${JSON.stringify(spec)} in ${JSON.stringify(project(r))}`).toBe(false);
    }
    if (m.polarity !== undefined) expect(r.sentiment.polarity).toBe(m.polarity);
    for (const h of r.hits) expect(r.text.slice(h.span[0], h.span[1])).toBe(h.term);

    const got = project(r);
    if (UPDATE) {
      writeFileSync(path, `${JSON.stringify({ ...c, expected: got }, null, 2)}\n`);
    } else {
      expect(got).toEqual(c.expected);
    }
  });
});
