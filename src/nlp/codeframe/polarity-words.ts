import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { defaultLexiconDir, termKey } from './document.js';

const WordList = z.array(z.string()).default([]);
const Section = z.strictObject({ general: WordList, automotive: WordList }).default({ general: [], automotive: [] });

/** config/lexicon/polarity.yaml (format: config/lexicon/README.md). */
export const PolarityFileSchema = z
  .strictObject({
    version: z.number().int().describe('Format version.'),
    positive: Section.describe('Positive opinion words.'),
    negative: Section.describe('Negative opinion words.'),
    weights: z.record(z.string(), z.number().positive()).default({}).describe('Weight per word when not 1 (sign comes from the list).'),
  })
  .describe('Sentiment polarity words.');

/** Polarity of opinion words by term key, for the lint's conflicting-polarity rule. */
export interface PolarityWords {
  positive: ReadonlySet<string>;
  negative: ReadonlySet<string>;
}

export function readPolarityWords(dir: string = defaultLexiconDir()): PolarityWords {
  const file = join(dir, 'polarity.yaml');
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read the polarity lexicon: expected a YAML file at ${file}.`, { cause: err });
  }
  const parsed = PolarityFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Invalid polarity lexicon ${file}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`, { cause: parsed.error });
  }
  const d = parsed.data;
  return {
    positive: new Set([...d.positive.general, ...d.positive.automotive].map(termKey)),
    negative: new Set([...d.negative.general, ...d.negative.automotive].map(termKey)),
  };
}
