import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { Lexicon } from './lexicon.js';
import { buildLexicon } from './lexicon.js';

/** config/lexicon in the package (src/nlp/sentiment → ../../../config/lexicon). */
export const DEFAULT_LEXICON_DIR = fileURLToPath(new URL('../../../config/lexicon/', import.meta.url));

// A word, or { word: weight } for a strong word (weight defaults to 1).
const WordEntrySchema = z.union([z.string(), z.number().transform(String), z.record(z.string(), z.number())]);
const WordListSchema = z.array(WordEntrySchema.nullable()).default([]);

const PolarityFileSchema = z.object({
  version: z.number().int().describe('Format version of the file.'),
  positive: z.record(z.string(), WordListSchema.nullable()).default({}).describe('Positive words by section (general, automotive …).'),
  negative: z.record(z.string(), WordListSchema.nullable()).default({}).describe('Negative words by section.'),
  neutral: WordListSchema.describe('Optional: words that contain an opinion word but carry none (差异, 最好, 好像).'),
});
const NegationFileSchema = z.object({
  version: z.number().int(),
  words: z.array(z.string()).describe('Negators.'),
  weak: z.array(z.string()).optional().describe('Optional: negators that only soften (不太, 不怎么).'),
  window: z.number().int().positive().optional().describe('Max characters between a negator and what it negates.'),
});
const DegreeFileSchema = z.object({
  version: z.number().int(),
  words: z.record(z.string(), z.number().positive()).describe('Degree adverb → intensity multiplier.'),
});
const ContrastFileSchema = z.object({
  version: z.number().int(),
  contrast: z.array(z.string()).describe('Contrast words that open a new clause.'),
  concessive: z.array(z.string()).default([]).describe('Concessive words (虽然) marking an outweighed clause.'),
  after_weight: z.number().positive().optional().describe('Weight of the clause after a contrast word.'),
});
const MagnitudeFileSchema = z.object({
  version: z.number().int(),
  high: z.array(z.string()).describe('"More" words: 高, 大, 多 …'),
  low: z.array(z.string()).describe('"Less" words: 低, 小, 少 …'),
  window: z.number().int().positive().optional().describe('Max characters between the term and the magnitude word.'),
});

/** Negators that soften rather than flip, when the lexicon does not say: also a degree word < 1. */
const DEFAULT_WEAK_NEGATION = ['不太', '不怎么', '不是很', '不算', '不大'];

async function readYaml<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<T> {
  const path = join(dir, file);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read the sentiment lexicon file: expected ${path}.`, { cause: err });
  }
  const parsed = schema.safeParse(parse(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid lexicon file ${path} at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'}.`, { cause: parsed.error });
  }
  return parsed.data;
}

function entries(list: readonly (string | Record<string, number> | null)[] | null | undefined): [string, number][] {
  const out: [string, number][] = [];
  for (const e of list ?? []) {
    if (e === null) continue;
    if (typeof e === 'string') {
      if (e.trim().length > 0) out.push([e.trim(), 1]);
    } else for (const [w, v] of Object.entries(e)) out.push([w.trim(), v]);
  }
  return out;
}

export interface LoadedLexicon {
  lexicon: Lexicon;
  /** Scorer settings carried by the lexicon files (windows, contrast weight). */
  settings: { negationWindow?: number; magnitudeWindow?: number; contrastWeight?: number };
}

/** Reads config/lexicon (format: config/lexicon/README.md). */
export async function loadLexiconFiles(dir: string = DEFAULT_LEXICON_DIR): Promise<LoadedLexicon> {
  const [pol, neg, deg, con, mag] = await Promise.all([
    readYaml(dir, 'polarity.yaml', PolarityFileSchema),
    readYaml(dir, 'negation.yaml', NegationFileSchema),
    readYaml(dir, 'degree.yaml', DegreeFileSchema),
    readYaml(dir, 'contrast.yaml', ContrastFileSchema),
    readYaml(dir, 'magnitude.yaml', MagnitudeFileSchema),
  ]);
  const positive = Object.values(pol.positive).flatMap((l) => entries(l));
  const negative = Object.values(pol.negative).flatMap((l) => entries(l));
  const weak = neg.weak ?? [...neg.words.filter((w) => (deg.words[w] ?? 1) < 1), ...DEFAULT_WEAK_NEGATION];
  const lexicon = buildLexicon({
    positive,
    negative,
    neutral: entries(pol.neutral).map(([w]) => w),
    negation: neg.words,
    weakNegation: weak.filter((w) => neg.words.includes(w) || DEFAULT_WEAK_NEGATION.includes(w)),
    degree: Object.entries(deg.words),
    contrast: con.contrast,
    concessive: con.concessive,
    more: mag.high,
    less: mag.low,
  });
  return {
    lexicon,
    settings: {
      ...(neg.window !== undefined ? { negationWindow: neg.window } : {}),
      ...(mag.window !== undefined ? { magnitudeWindow: mag.window } : {}),
      ...(con.after_weight !== undefined ? { contrastWeight: con.after_weight } : {}),
    },
  };
}

export async function loadLexicon(dir?: string): Promise<Lexicon> {
  return (await loadLexiconFiles(dir)).lexicon;
}
