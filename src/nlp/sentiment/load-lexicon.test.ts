import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { loadLexiconFiles } from './load-lexicon.js';

function writeLexicon(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'voc-lexicon-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const minimal = {
  'polarity.yaml': 'version: 1\npositive:\n  general: [好, {给力: 2}]\nnegative:\n  general: [差]\nneutral: [差不多]\n',
  'negation.yaml': 'version: 1\nwindow: 3\nwords: [不, 没有, 不太]\n',
  'degree.yaml': 'version: 1\nwords:\n  很: 1.5\n  不太: 0.5\n',
  'contrast.yaml': 'version: 1\ncontrast: [但是]\nconcessive: [虽然]\nafter_weight: 1.5\n',
  'magnitude.yaml': 'version: 1\nwindow: 4\nhigh: [高]\nlow: [低]\n',
};

describe('loadLexiconFiles', () => {
  it('reads the shipped config/lexicon', async () => {
    const { lexicon } = await loadLexiconFiles();
    expect(lexicon.polarity.size).toBeGreaterThan(100);
    expect(lexicon.negation.has('没有')).toBe(true);
    expect(lexicon.contrast).toContain('但是');
  });

  it('reads weights, neutral words, weak negators and windows', async () => {
    const { lexicon, settings } = await loadLexiconFiles(writeLexicon(minimal));
    expect(lexicon.polarity.get('给力')).toBe(2);
    expect(lexicon.polarity.get('差')).toBe(-1);
    expect(lexicon.polarity.get('差不多')).toBe(0);
    expect(lexicon.weakNegation.has('不太')).toBe(true);
    expect(lexicon.weakNegation.has('不')).toBe(false);
    expect(lexicon.concessive).toEqual(['虽然']);
    expect(settings).toEqual({ negationWindow: 3, magnitudeWindow: 4, contrastWeight: 1.5 });
  });

  it('names the file when one is missing or malformed', async () => {
    const missing = writeLexicon({ ...minimal, 'degree.yaml': '' });
    await expect(loadLexiconFiles(missing)).rejects.toBeInstanceOf(ConfigError);
    const { 'magnitude.yaml': _omit, ...rest } = minimal;
    await expect(loadLexiconFiles(writeLexicon(rest))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
