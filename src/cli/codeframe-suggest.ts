import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { DiscoveredTopicRow } from '../nlp/model/discovered-topics.js';
import { topicFromRow } from '../nlp/model/discovered-topics.js';
import type { DiscoveredTopic } from '../nlp/model/discovery.js';

export interface SuggestOptions {
  from?: string;
  minSize: number;
  limit: number;
  format: 'yaml' | 'json';
}

export interface SuggestCommandDeps {
  /**
   * Where topics come from without --from: the lead wires the store here
   * (`readDiscoveredTopics(executor, { minSize, limit })` from src/nlp/model/discovered-topics.ts).
   */
  loadTopics?: (opts: { minSize: number; limit: number }) => Promise<DiscoveredTopic[]>;
  /** Where the suggestions go; stdout by default. */
  write?: (text: string) => void;
}

function isRow(x: Record<string, unknown>): boolean {
  return typeof x.topic_id === 'string';
}

function asTopic(x: unknown, where: string): DiscoveredTopic {
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new ConfigError(`${where}: expected a topic object, got ${JSON.stringify(x)?.slice(0, 80)}`);
  const o = x as Record<string, unknown>;
  const t = (isRow(o) ? topicFromRow(o as unknown as DiscoveredTopicRow) : o) as Partial<DiscoveredTopic>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (typeof t.id !== 'string' || typeof t.size !== 'number' || !strings(t.topTerms) || !strings(t.examples)) {
    throw new ConfigError(`${where}: expected {id, size, topTerms[], examples[]} or a discovered_topics row, got keys ${Object.keys(o).join(', ')}`);
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: t.id,
    size: t.size,
    topTerms: t.topTerms as string[],
    examples: (t.examples as string[]).slice(0, 3),
    firstSeen: text(t.firstSeen),
    lastSeen: text(t.lastSeen),
    embeddingModel: text(t.embeddingModel),
  };
}

/** Topics from a JSON file: an array, {topics: [...]}, or JSON lines; topic objects or table rows. */
export function readTopicsFile(path: string): DiscoveredTopic[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--from: expected a readable file at ${path}, got none`, { code: 'INPUT_MISSING', cause: err });
  }
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const doc: unknown = JSON.parse(trimmed);
    const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { topics?: unknown }).topics) ? (doc as { topics: unknown[] }).topics : [doc];
    return list.map((x, i) => asTopic(x, `${path}[${i}]`));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
  }
  return trimmed
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return asTopic(JSON.parse(line), `${path}:${i + 1}`);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(`${path}:${i + 1}: expected JSON (an array, or one topic per line), got unparsable text`, { cause: err });
      }
    });
}

/** A placeholder leaf id a human renames: NEW_ plus the topic id, upper case. */
function leafId(topic: DiscoveredTopic): string {
  return `NEW_${topic.id.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`.slice(0, 24);
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Candidate codes as code-frame YAML leaves, commented with size, dates and examples: a human
 * picks a domain and component, names the leaf, prunes the terms and pastes it into
 * config/codeframe.yaml. Nothing is added automatically.
 */
export function formatSuggestions(topics: readonly DiscoveredTopic[], format: 'yaml' | 'json'): string {
  if (format === 'json') {
    return JSON.stringify(
      topics.map((t) => ({ id: leafId(t), label: t.topTerms.slice(0, 2).join('/'), terms: t.topTerms, topic: t })),
      null,
      2,
    ) + '\n';
  }
  if (topics.length === 0) return '# No discovered topics past the thresholds yet.\n';
  const lines: string[] = [
    '# Candidate codes from feedback no code covers (voc codeframe suggest).',
    '# Review each: choose the domain and component, rename the id, prune the terms, then add the',
    '# leaf under that component in config/codeframe.yaml.',
  ];
  topics.forEach((t, i) => {
    const seen = t.firstSeen && t.lastSeen ? `, ${t.firstSeen.slice(0, 10)} … ${t.lastSeen.slice(0, 10)}` : '';
    const model = t.embeddingModel ? `, ${t.embeddingModel}` : '';
    lines.push('', `# ${i + 1}. topic ${t.id}: ${t.size} texts${seen}${model}`);
    for (const ex of t.examples.slice(0, 3)) lines.push(`#    e.g. ${ex.replace(/\s+/g, ' ')}`);
    lines.push(`- id: ${leafId(t)}`);
    lines.push(`  label: ${yamlString(t.topTerms.slice(0, 2).join('/') || t.id)}`);
    lines.push(`  terms: [${t.topTerms.map(yamlString).join(', ')}]`);
  });
  return lines.join('\n') + '\n';
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name}: expected a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** `voc codeframe suggest`: print discovered topics as candidate code-frame leaves. */
export function suggestCommand(deps: SuggestCommandDeps = {}): Command {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  return new Command('suggest')
    .description('Print topics the model stage discovered in uncovered feedback as candidate codes for the code frame.')
    .option('--from <file>', 'read topics from a JSON file (array, {topics}, or JSON lines; topic objects or discovered_topics rows)')
    .option('--min-size <n>', 'only topics with at least n texts', positiveInt('--min-size'), 1)
    .option('--limit <n>', 'at most n topics, largest first', positiveInt('--limit'), 20)
    .option('--format <format>', 'yaml (code-frame leaves, commented) or json', (v: string) => {
      if (v !== 'yaml' && v !== 'json') throw new InvalidArgumentError(`--format: expected yaml or json, got ${JSON.stringify(v)}`);
      return v;
    }, 'yaml')
    .addHelpText(
      'after',
      `
Topics come from the model stage (docs/model-stage.md): clusters of feedback with no code hit, or
only generic ones, that grew past model.discovery.minTopicSize. Without --from they are read from
the discovered_topics table of the store.`,
    )
    .action(async (opts: SuggestOptions) => {
      let topics: DiscoveredTopic[];
      if (opts.from !== undefined) topics = readTopicsFile(opts.from);
      else if (deps.loadTopics) topics = await deps.loadTopics({ minSize: opts.minSize, limit: opts.limit });
      else throw new ConfigError('voc codeframe suggest: expected --from <file> or a store to read discovered_topics from, got neither');
      const picked = topics
        .filter((t) => t.size >= opts.minSize)
        .sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1))
        .slice(0, opts.limit);
      write(formatSuggestions(picked, opts.format));
    });
}
