import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { codeframeCommand } from '../../cli/codeframe.js';
import type { CodeFrameDocument } from './document.js';
import { buildCodeFrame, canonicalJson, codeFrameHash, packageRoot, parseCodeFrameDocument, readCodeFrameDocument, termKey } from './document.js';
import { STANDARD_DIMENSIONS, lintCodeFrame } from './lint.js';
import { loadCodeFrame } from './load.js';
import { readPolarityWords } from './polarity-words.js';
import { codeFrameStats } from './stats.js';

const dir = mkdtempSync(join(tmpdir(), 'voc-codeframe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = `
version: t-1
domains:
  - id: PWR
    label: 动力
    department: rnd
    components:
      - id: TRANS
        label: 变速箱
        department: quality
        leaves:
          - id: JERK
            label: 顿挫
            polarity: -1
            need: basic
            terms: [顿挫, 頓挫]
          - id: SMOOTH
            label: 平顺
            polarity: 1
            opinion: true
            terms: [换挡平顺]
          - id: ATTR
            label: 变速箱
            scale: higher_better
            context: {any_of: [换挡], window: 4}
            terms: [波箱]
`;

const small = (): CodeFrameDocument => parseCodeFrameDocument(SMALL);
const rules = (doc: CodeFrameDocument, polarity?: Parameters<typeof lintCodeFrame>[1]): string[] =>
  lintCodeFrame(doc, polarity).map((i) => `${i.severity}:${i.rule}`);

describe('the shipped code frame', () => {
  const doc = readCodeFrameDocument();
  const frame = loadCodeFrame();

  it('has the ten review dimensions with their exact labels and at least 200 leaves and 1,500 distinct terms', () => {
    const labels = frame.domains.map((d) => d.label);
    for (const dim of STANDARD_DIMENSIONS) expect(labels).toContain(dim);
    expect(frame.domains.length).toBeGreaterThanOrEqual(17);
    expect(frame.leaves.length).toBeGreaterThanOrEqual(200);
    expect(codeFrameStats(doc).distinctTerms).toBeGreaterThanOrEqual(1500);
  });

  it('passes its own lint, including the polarity check against the lexicon', () => {
    const issues = lintCodeFrame(doc, { polarity: readPolarityWords() });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('has stable DOMAIN.COMPONENT.ISSUE ids and keeps Traditional, regional and colloquial variants', () => {
    for (const leaf of frame.leaves) expect(leaf.id).toMatch(/^[A-Z][A-Z0-9]{1,7}\.[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/);
    const codeOf = (term: string): string | undefined => frame.leaves.find((l) => l.terms.includes(term))?.id;
    expect(codeOf('頓挫')).toBe(codeOf('顿挫'));
    expect(codeOf('波箱')).toBe(codeOf('变速箱'));
    expect(codeOf('異音')).toBe(codeOf('异响'));
    expect(codeOf('車機卡')).toBe(codeOf('车机卡'));
    expect(codeOf('當機')).toBe(codeOf('死机'));
    for (const t of ['軟體', '螢幕', '肉', '拨箱', '给油', '掉电快']) expect(codeOf(t)).toBeDefined();
  });

  it('puts a context rule on the ambiguous single-character terms', () => {
    for (const t of ['抖', '肉', '卡']) {
      const leaf = frame.leaves.find((l) => l.terms.includes(t));
      expect(leaf?.context?.anyOf.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('resolves the default path from the package root', () => {
    expect(readCodeFrameDocument(join(packageRoot(), 'config', 'codeframe.yaml')).version).toBe(frame.version);
  });
});

describe('loader', () => {
  it('builds leaves with inherited department and need layer, context and scale', () => {
    const frame = buildCodeFrame(small());
    expect(frame.leaves.map((l) => [l.id, l.department, l.needLayer, l.defaultPolarity])).toEqual([
      ['PWR.TRANS.JERK', 'quality', 'basic', -1],
      ['PWR.TRANS.SMOOTH', 'quality', 'performance', 1],
      ['PWR.TRANS.ATTR', 'quality', 'performance', 0],
    ]);
    expect(frame.leaves[2]?.context).toEqual({ anyOf: ['换挡'], window: 4 });
    expect(frame.leaves[2]?.scale).toBe('higher_better');
    expect(frame.leaves.map((l) => l.opinion === true)).toEqual([false, true, false]);
    expect(frame.leaves[0]?.componentId).toBe('PWR.TRANS');
    expect(frame.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes content, not key order or formatting', () => {
    const a = small();
    const reordered = parseCodeFrameDocument(`domains:\n${SMALL.split('domains:\n')[1] ?? ''}\nversion: t-1\n`);
    expect(codeFrameHash(reordered)).toBe(codeFrameHash(a));
    const edited = parseCodeFrameDocument(SMALL.replace('[波箱]', '[波箱, 变速箱]'));
    expect(codeFrameHash(edited)).not.toBe(codeFrameHash(a));
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it('names the YAML path with ids in validation errors', () => {
    const bad = SMALL.replace('polarity: -1', 'polarity: 2');
    let err: unknown;
    try {
      parseCodeFrameDocument(bad, 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    expect((err as Error).message).toContain('domains[0](PWR).components[0](TRANS).leaves[0](JERK).polarity');
  });

  it('rejects unknown keys, bad YAML and a missing file with ConfigError', () => {
    expect(() => parseCodeFrameDocument(SMALL.replace('label: 顿挫', 'label: 顿挫\n            colour: red'))).toThrow(ConfigError);
    expect(() => parseCodeFrameDocument('version: [')).toThrow(ConfigError);
    expect(() => readCodeFrameDocument(join(dir, 'missing.yaml'))).toThrow(ConfigError);
  });

  it('refuses to load a frame with lint errors', () => {
    const file = join(dir, 'dup.yaml');
    writeFileSync(file, SMALL.replace('[波箱]', '[波箱, 顿挫]'));
    let err: unknown;
    try {
      loadCodeFrame(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CODEFRAME_INVALID');
  });
});

describe('lint', () => {
  it('normalises Traditional, regional and full-width forms before comparing terms', () => {
    expect(termKey('頓挫')).toBe('顿挫');
    expect(termKey('軟體')).toBe('软件');
    expect(termKey('ＣＶＴ')).toBe('cvt');
  });

  it('finds a term shared by two codes after Traditional→Simplified conversion', () => {
    const doc = parseCodeFrameDocument(SMALL.replace('[波箱]', '[波箱, 頓挫]'));
    const dup = lintCodeFrame(doc).find((i) => i.rule === 'duplicate_term');
    expect(dup?.severity).toBe('error');
    expect(dup?.path).toBe('domains[0](PWR).components[0](TRANS).leaves[2](ATTR).terms[1]');
    expect(dup?.message).toContain('PWR.TRANS.JERK');
  });

  it('finds bad ids, duplicate ids, empty leaves, unknown departments and need layers', () => {
    const doc = small();
    const c = doc.domains[0]!.components[0]!;
    c.leaves.push({ id: 'bad-id', label: 'x', terms: ['x1'], polarity: 0 });
    c.leaves.push({ id: 'JERK', label: 'y', terms: [], polarity: 0, department: 'finance', need: 'luxury' });
    expect(rules(doc)).toEqual(
      expect.arrayContaining(['error:bad_id', 'error:duplicate_id', 'error:empty_leaf', 'error:unknown_department', 'error:unknown_need']),
    );
  });

  it('finds terms whose lexicon polarity contradicts the leaf default', () => {
    const doc = parseCodeFrameDocument(SMALL.replace('[顿挫, 頓挫]', '[顿挫, 平顺]'));
    const polarity = { positive: new Set(['平顺']), negative: new Set(['顿挫']) };
    expect(rules(doc, { polarity })).toContain('error:conflicting_polarity');
    expect(rules(small(), { polarity })).not.toContain('error:conflicting_polarity');
  });

  it('finds an opinion leaf without a polarity', () => {
    const doc = parseCodeFrameDocument(SMALL.replace('            label: 变速箱\n', '            label: 变速箱\n            opinion: true\n'));
    expect(rules(doc)).toContain('error:opinion_without_polarity');
    expect(rules(small())).not.toContain('error:opinion_without_polarity');
  });

  it('finds an also that names no other leaf, and builds the leaf with it', () => {
    const withAlso = (ids: string): CodeFrameDocument => parseCodeFrameDocument(SMALL.replace('            label: 平顺\n', `            label: 平顺\n            also: [${ids}]\n`));
    expect(rules(withAlso('PWR.TRANS.ATTR'))).not.toContain('error:unknown_also');
    expect(buildCodeFrame(withAlso('PWR.TRANS.ATTR')).leaves.find((l) => l.id === 'PWR.TRANS.SMOOTH')?.also).toEqual(['PWR.TRANS.ATTR']);
    const bad = lintCodeFrame(withAlso('PWR.TRANS.SMOOTH, HDL.GEN.ATTR')).filter((i) => i.rule === 'unknown_also');
    expect(bad.map((i) => i.path)).toEqual(['domains[0](PWR).components[0](TRANS).leaves[1](SMOOTH).also[0]', 'domains[0](PWR).components[0](TRANS).leaves[1](SMOOTH).also[1]']);
  });

  it('reports missing standard dimensions and warns on repeated terms and scales on polar leaves', () => {
    const doc = parseCodeFrameDocument(SMALL.replace('[顿挫, 頓挫]', '[顿挫, 顿挫]').replace('polarity: -1', 'polarity: -1\n            scale: higher_worse'));
    const found = rules(doc);
    expect(found).toContain('warning:repeated_term');
    expect(found).toContain('warning:scale_on_polar_leaf');
    expect(found.filter((r) => r === 'error:missing_dimension')).toHaveLength(STANDARD_DIMENSIONS.length - 1);
  });
});

describe('stats', () => {
  it('counts leaves, terms, variants, polarity and inherited layers', () => {
    const s = codeFrameStats(small());
    expect(s).toMatchObject({ domains: 1, components: 1, leaves: 3, terms: 4, distinctTerms: 3, variantTerms: 1, contextRules: 1, scaled: 1 });
    expect(s.byPolarity).toEqual({ '-1': 1, '0': 1, '1': 1 });
    expect(s.byNeed).toEqual({ basic: 1, performance: 2 });
    expect(s.byDepartment).toEqual({ quality: 3 });
  });
});

describe('voc codeframe', () => {
  async function run(args: string[]): Promise<{ out: string; code: number | undefined }> {
    let out = '';
    let code: number | undefined;
    const cmd = codeframeCommand({ write: (t) => (out += t), setExitCode: (c) => (code = c) }).exitOverride();
    await cmd.parseAsync(args, { from: 'user' });
    return { out, code };
  }

  it('lint exits 1 on errors and 0 on a clean frame', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, SMALL.replace('[波箱]', '[波箱, 頓挫]'));
    const r1 = await run(['lint', '--frame', bad, '--no-lexicon']);
    expect(r1.code).toBe(1);
    expect(r1.out).toContain('duplicate_term');
    const r2 = await run(['lint', '--json']);
    expect(r2.code).toBeUndefined();
    expect((JSON.parse(r2.out) as { errors: number }).errors).toBe(0);
  });

  it('stats prints counts per domain', async () => {
    const r = await run(['stats', '--json']);
    const s = JSON.parse(r.out) as { leaves: number; perDomain: { label: string }[] };
    expect(s.leaves).toBeGreaterThanOrEqual(200);
    expect(s.perDomain.map((d) => d.label)).toContain('舒适性');
  });
});
