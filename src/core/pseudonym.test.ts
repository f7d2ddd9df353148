import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { Pseudonymizer, resolvePseudonymKey } from './pseudonym.js';

describe('Pseudonymizer', () => {
  const p = new Pseudonymizer('k'.repeat(32));

  it('is deterministic per key and namespace, and never echoes the input', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        const a = p.pseudonymize('phone', value);
        expect(a).toMatch(/^[0-9a-f]{32}$/);
        expect(p.pseudonymize('phone', value)).toBe(a);
        expect(new Pseudonymizer('x'.repeat(32)).pseudonymize('phone', value)).not.toBe(a);
      }),
    );
    expect(p.pseudonymize('phone', '13812345678')).not.toBe(p.pseudonymize('agent', '13812345678'));
  });

  it('normalises width and case so that one identifier gives one key', () => {
    expect(p.pseudonymize('vin', 'lsvau2180n2183294')).toBe(p.pseudonymize('vin', 'ＬＳＶＡＵ2180N2183294 '));
  });

  it('refuses a weak key', () => {
    expect(() => new Pseudonymizer('short')).toThrow(ConfigError);
  });
});

describe('resolvePseudonymKey', () => {
  it('requires VOC_PSEUDONYM_KEY when asked to (the service)', () => {
    expect(() => resolvePseudonymKey({ env: {}, required: true })).toThrow(expect.objectContaining({ code: 'PSEUDONYM_KEY_MISSING' }));
  });

  it('generates a per-store key once and reuses it (replay)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voc-key-')), 'store', 'pseudonym.key');
    const first = resolvePseudonymKey({ env: {}, storeKeyFile: file, required: false });
    expect(first.origin).toBe('generated');
    const second = resolvePseudonymKey({ env: {}, storeKeyFile: file, required: false });
    expect(second).toMatchObject({ origin: 'store-file', key: first.key });
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key);
  });

  it('prefers the environment', () => {
    expect(resolvePseudonymKey({ env: { VOC_PSEUDONYM_KEY: 's'.repeat(20) }, required: true })).toMatchObject({ origin: 'env' });
  });
});
