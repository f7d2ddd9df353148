import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Department, NeedLayer, Polarity } from '../../core/enriched-event.js';
import { ConfigError } from '../../core/errors.js';
import type { CodeFrame, CodeFrameDomain, CodeFrameLeaf } from './types.js';

/**
 * The code frame YAML (config/codeframe.yaml) as written: structure only. Departments and need layers
 * are read as strings here and checked by the lint (./lint.ts), so `voc codeframe lint` can report
 * every problem at once instead of stopping at the first; loadCodeFrame refuses a frame with lint errors.
 */
export const DEPARTMENTS = ['rnd', 'quality', 'sales', 'after_sales', 'marketing', 'customer_service'] as const satisfies readonly Department[];
export const NEED_LAYERS = ['basic', 'performance', 'delight'] as const satisfies readonly NeedLayer[];

const PolaritySchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

export const ContextRuleSchema = z
  .strictObject({
    any_of: z.array(z.string().min(1)).min(1).describe('Context words; at least one must occur near the term.'),
    window: z.number().int().min(1).max(50).default(8).describe('Characters on either side of the term span searched for a context word.'),
  })
  .describe('The leaf terms count only with a context word nearby (e.g. 抖 only near 怠速).');

export const LeafSchema = z
  .strictObject({
    id: z.string().min(1).describe('ISSUE segment of DOMAIN.COMPONENT.ISSUE, uppercase ASCII.'),
    label: z.string().min(1).describe('Chinese label.'),
    terms: z.array(z.string()).default([]).describe('Terms and synonyms: Simplified, Traditional, regional and colloquial variants.'),
    polarity: PolaritySchema.default(0).describe('Default polarity when the clause carries no opinion of its own.'),
    scale: z.enum(['higher_better', 'higher_worse']).optional().describe('How magnitude words (高/低/大/小) next to a term become polarity.'),
    opinion: z.boolean().optional().describe('True when the terms are themselves evaluations (动力不足, 太丑), not problem names (顿挫).'),
    context: ContextRuleSchema.optional(),
    also: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Leaf ids a hit on these terms also counts for: a word that names two dimensions (性能 = power and handling).'),
    need: z.string().optional().describe('Need layer basic | performance | delight; inherited from component, then domain.'),
    department: z.string().optional().describe('Owning department; inherited from component, then domain.'),
  })
  .describe('A level-3 issue (leaf code).');

export const ComponentSchema = z
  .strictObject({
    id: z.string().min(1).describe('COMPONENT segment, uppercase ASCII.'),
    label: z.string().min(1).describe('Chinese label of the component or attribute.'),
    need: z.string().optional().describe('Default need layer for the leaves.'),
    department: z.string().optional().describe('Default department for the leaves.'),
    leaves: z.array(LeafSchema).default([]).describe('Level-3 issues.'),
  })
  .describe('A level-2 component or attribute.');

export const DomainSchema = z
  .strictObject({
    id: z.string().min(1).describe('DOMAIN segment, uppercase ASCII.'),
    label: z.string().min(1).describe('Chinese label (the ten review dimensions use their standard labels: 动力, 操控 …).'),
    department: z.string().describe('Owning department, inherited by components and leaves.'),
    need: z.string().default('performance').describe('Default need layer, inherited by components and leaves.'),
    components: z.array(ComponentSchema).default([]).describe('Level-2 components.'),
  })
  .describe('A level-1 domain.');

export const CodeFrameDocumentSchema = z
  .strictObject({
    version: z.string().min(1).describe('Frame version, recorded with every output together with the content hash.'),
    domains: z.array(DomainSchema).min(1).describe('Level-1 domains.'),
  })
  .describe('The unified code frame (统一码框).');

export type CodeFrameDocument = z.infer<typeof CodeFrameDocumentSchema>;
export type LeafDocument = z.infer<typeof LeafSchema>;

/** The package root (the folder holding voc-stream's package.json), from src/ and dist/ alike. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'voc-stream') return dir;
      } catch {
        // not our package.json; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new ConfigError(`Cannot find the voc-stream package root above ${from}: expected a package.json named voc-stream.`);
    dir = up;
  }
}

export function defaultCodeFramePath(): string {
  return join(packageRoot(), 'config', 'codeframe.yaml');
}

export function defaultLexiconDir(): string {
  return join(packageRoot(), 'config', 'lexicon');
}

/** Names a YAML path with the ids met on the way: domains[4](SPC).components[1](REAR).leaves[0](ATTR).terms */
export function describePath(doc: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = doc;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += `(${id})`;
    } else {
      out += (out === '' ? '' : '.') + String(key);
    }
  }
  return out === '' ? '(root)' : out;
}

/** Reads and structurally validates a code frame YAML file; ConfigError names the file, YAML path, expected and got. */
export function readCodeFrameDocument(path: string = defaultCodeFramePath()): CodeFrameDocument {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read the code frame: expected a YAML file at ${file}.`, { cause: err });
  }
  return parseCodeFrameDocument(text, file);
}

export function parseCodeFrameDocument(text: string, source = '<inline>'): CodeFrameDocument {
  const yamlDoc = parseDocument(text, { uniqueKeys: true });
  if (yamlDoc.errors.length > 0) {
    const first = yamlDoc.errors[0];
    throw new ConfigError(`Invalid YAML in code frame ${source}: ${first?.message ?? 'parse error'}`, { cause: first });
  }
  const raw: unknown = yamlDoc.toJS();
  const parsed = CodeFrameDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${describePath(raw, i.path)}: ${i.message}`);
    const more = parsed.error.issues.length > 20 ? `\n  … and ${parsed.error.issues.length - 20} more` : '';
    throw new ConfigError(`Invalid code frame ${source}:\n${lines.join('\n')}${more}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** JSON with object keys sorted at every level, so the hash does not depend on key order in the YAML. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON of the validated document, first 16 hex digits. */
export function codeFrameHash(doc: CodeFrameDocument): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('hex').slice(0, 16);
}

/** Full leaf ids with the inherited need layer and department, in document order. */
export function* walkLeaves(doc: CodeFrameDocument): Generator<{
  id: string;
  path: string;
  domain: CodeFrameDocument['domains'][number];
  component: CodeFrameDocument['domains'][number]['components'][number];
  leaf: LeafDocument;
  need: string;
  department: string;
}> {
  for (const [di, domain] of doc.domains.entries()) {
    for (const [ci, component] of domain.components.entries()) {
      for (const [li, leaf] of component.leaves.entries()) {
        yield {
          id: `${domain.id}.${component.id}.${leaf.id}`,
          path: `domains[${di}](${domain.id}).components[${ci}](${component.id}).leaves[${li}](${leaf.id})`,
          domain,
          component,
          leaf,
          need: leaf.need ?? component.need ?? domain.need,
          department: leaf.department ?? component.department ?? domain.department,
        };
      }
    }
  }
}

/** Builds the CodeFrame the tagger consumes. Assumes the document passed the lint (see loadCodeFrame). */
export function buildCodeFrame(doc: CodeFrameDocument): CodeFrame {
  const domains: CodeFrameDomain[] = doc.domains.map((d) => ({ id: d.id, label: d.label, department: d.department as Department }));
  const leaves: CodeFrameLeaf[] = [];
  for (const w of walkLeaves(doc)) {
    const leaf: CodeFrameLeaf = {
      id: w.id,
      label: w.leaf.label,
      domainId: w.domain.id,
      domainLabel: w.domain.label,
      componentId: `${w.domain.id}.${w.component.id}`,
      componentLabel: w.component.label,
      terms: [...w.leaf.terms],
      defaultPolarity: w.leaf.polarity as Polarity,
      needLayer: w.need as NeedLayer,
      department: w.department as Department,
    };
    if (w.leaf.context) leaf.context = { anyOf: [...w.leaf.context.any_of], window: w.leaf.context.window };
    if (w.leaf.scale) leaf.scale = w.leaf.scale;
    if (w.leaf.opinion) leaf.opinion = true;
    if (w.leaf.also) leaf.also = [...w.leaf.also];
    leaves.push(leaf);
  }
  return { version: doc.version, hash: codeFrameHash(doc), domains, leaves };
}

const toCnFromTw = OpenCC.Converter({ from: 'twp', to: 'cn' });
const toCnFromHk = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * The form a term is compared in: Traditional (Taiwan phrases, Hong Kong) → Simplified, full-width →
 * half-width, ASCII lower-cased, spaces dropped. Two terms with the same key are the same term.
 */
export function termKey(term: string): string {
  const half = term.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
  return toCnFromHk(toCnFromTw(half)).toLowerCase().replace(/\s+/g, '');
}
