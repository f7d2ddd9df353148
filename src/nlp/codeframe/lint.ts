import type { CodeFrameDocument } from './document.js';
import { DEPARTMENTS, NEED_LAYERS, termKey, walkLeaves } from './document.js';
import type { PolarityWords } from './polarity-words.js';

/** The ten standard Chinese car-review dimensions: level-1 domains with exactly these labels must exist. */
export const STANDARD_DIMENSIONS = ['动力', '操控', '油耗', '空间', '舒适性', '外观', '内饰', '配置', '安全性', '价格'] as const;

export type LintRule =
  | 'bad_id'
  | 'duplicate_id'
  | 'empty_leaf'
  | 'empty_component'
  | 'empty_domain'
  | 'blank_term'
  | 'duplicate_term'
  | 'repeated_term'
  | 'conflicting_polarity'
  | 'scale_on_polar_leaf'
  | 'opinion_without_polarity'
  | 'unknown_also'
  | 'unknown_department'
  | 'unknown_need'
  | 'missing_dimension';

export interface LintIssue {
  severity: 'error' | 'warning';
  rule: LintRule;
  /** YAML path with ids, e.g. domains[0](PWR).components[2](TRANS).leaves[1](JERK).terms[3] */
  path: string;
  message: string;
}

export interface LintOptions {
  /** Opinion words of the sentiment lexicon; enables the conflicting_polarity rule. */
  polarity?: PolarityWords;
}

const DOMAIN_ID = /^[A-Z][A-Z0-9]{1,7}$/;
const SEGMENT_ID = /^[A-Z][A-Z0-9_]{0,23}$/;

/**
 * Semantic checks the schema cannot express. Errors: bad or duplicate ids, empty leaves, the same
 * term (after Traditional→Simplified, full→half width) in two codes, a term whose lexicon polarity
 * contradicts its leaf's default polarity, unknown departments and need layers, a missing standard
 * dimension, an `also` that does not name another leaf. Warnings: a term repeated within one leaf, a scale on a leaf that already has a polarity.
 */
export function lintCodeFrame(doc: CodeFrameDocument, options: LintOptions = {}): LintIssue[] {
  const issues: LintIssue[] = [];
  const error = (rule: LintRule, path: string, message: string): void => void issues.push({ severity: 'error', rule, path, message });
  const warn = (rule: LintRule, path: string, message: string): void => void issues.push({ severity: 'warning', rule, path, message });
  const departments = new Set<string>(DEPARTMENTS);
  const needs = new Set<string>(NEED_LAYERS);

  const domainIds = new Map<string, string>();
  for (const [di, d] of doc.domains.entries()) {
    const dp = `domains[${di}](${d.id})`;
    if (!DOMAIN_ID.test(d.id)) error('bad_id', `${dp}.id`, `Domain id must match ${DOMAIN_ID.source}; got ${JSON.stringify(d.id)}.`);
    const prev = domainIds.get(d.id);
    if (prev !== undefined) error('duplicate_id', `${dp}.id`, `Domain id ${d.id} is already used at ${prev}.`);
    else domainIds.set(d.id, dp);
    if (!departments.has(d.department)) error('unknown_department', `${dp}.department`, `Expected one of ${DEPARTMENTS.join(', ')}; got ${JSON.stringify(d.department)}.`);
    if (!needs.has(d.need)) error('unknown_need', `${dp}.need`, `Expected one of ${NEED_LAYERS.join(', ')}; got ${JSON.stringify(d.need)}.`);
    if (d.components.length === 0) error('empty_domain', dp, `Domain ${d.id} has no components.`);
    const componentIds = new Set<string>();
    for (const [ci, c] of d.components.entries()) {
      const cp = `${dp}.components[${ci}](${c.id})`;
      if (!SEGMENT_ID.test(c.id)) error('bad_id', `${cp}.id`, `Component id must match ${SEGMENT_ID.source}; got ${JSON.stringify(c.id)}.`);
      if (componentIds.has(c.id)) error('duplicate_id', `${cp}.id`, `Component id ${d.id}.${c.id} is used twice.`);
      componentIds.add(c.id);
      if (c.department !== undefined && !departments.has(c.department))
        error('unknown_department', `${cp}.department`, `Expected one of ${DEPARTMENTS.join(', ')}; got ${JSON.stringify(c.department)}.`);
      if (c.need !== undefined && !needs.has(c.need)) error('unknown_need', `${cp}.need`, `Expected one of ${NEED_LAYERS.join(', ')}; got ${JSON.stringify(c.need)}.`);
      if (c.leaves.length === 0) error('empty_component', cp, `Component ${d.id}.${c.id} has no leaves.`);
      const leafIds = new Set<string>();
      for (const [li, l] of c.leaves.entries()) {
        const lp = `${cp}.leaves[${li}](${l.id})`;
        if (!SEGMENT_ID.test(l.id)) error('bad_id', `${lp}.id`, `Leaf id must match ${SEGMENT_ID.source}; got ${JSON.stringify(l.id)}.`);
        if (leafIds.has(l.id)) error('duplicate_id', `${lp}.id`, `Leaf id ${d.id}.${c.id}.${l.id} is used twice.`);
        leafIds.add(l.id);
        if (l.department !== undefined && !departments.has(l.department))
          error('unknown_department', `${lp}.department`, `Expected one of ${DEPARTMENTS.join(', ')}; got ${JSON.stringify(l.department)}.`);
        if (l.need !== undefined && !needs.has(l.need)) error('unknown_need', `${lp}.need`, `Expected one of ${NEED_LAYERS.join(', ')}; got ${JSON.stringify(l.need)}.`);
      }
    }
  }

  const leafIds = new Set<string>();
  for (const w of walkLeaves(doc)) leafIds.add(w.id);
  const owner = new Map<string, { code: string; term: string }>();
  for (const w of walkLeaves(doc)) {
    const { leaf } = w;
    for (const [ai, id] of (leaf.also ?? []).entries()) {
      if (id === w.id || !leafIds.has(id))
        error('unknown_also', `${w.path}.also[${ai}]`, `Leaf ${w.id} lists ${JSON.stringify(id)} in also; expected the id of another leaf of the frame.`);
    }
    if (leaf.terms.length === 0) error('empty_leaf', `${w.path}.terms`, `Leaf ${w.id} has no terms.`);
    if (leaf.scale !== undefined && leaf.polarity !== 0)
      warn('scale_on_polar_leaf', `${w.path}.scale`, `Leaf ${w.id} has polarity ${leaf.polarity} and a scale; a scale is meant for neutral attribute leaves.`);
    if (leaf.opinion === true && leaf.polarity === 0)
      error('opinion_without_polarity', `${w.path}.opinion`, `Leaf ${w.id} is marked as an opinion but has default polarity 0; an opinion leaf says good or bad.`);
    const seenHere = new Set<string>();
    for (const [ti, term] of leaf.terms.entries()) {
      const tp = `${w.path}.terms[${ti}]`;
      const key = termKey(term);
      if (key === '') {
        error('blank_term', tp, `Leaf ${w.id} has a blank term.`);
        continue;
      }
      if (seenHere.has(term)) warn('repeated_term', tp, `Term ${JSON.stringify(term)} is listed twice in ${w.id}.`);
      seenHere.add(term);
      const prev = owner.get(key);
      if (prev !== undefined && prev.code !== w.id) {
        error('duplicate_term', tp, `Term ${JSON.stringify(term)} (${key}) is already a term of ${prev.code} (as ${JSON.stringify(prev.term)}); a term belongs to one code.`);
      } else if (prev === undefined) {
        owner.set(key, { code: w.id, term });
      }
      if (options.polarity) {
        const lex = options.polarity.positive.has(key) ? 1 : options.polarity.negative.has(key) ? -1 : 0;
        if (lex !== 0 && leaf.polarity !== 0 && lex !== leaf.polarity)
          error('conflicting_polarity', tp, `Term ${JSON.stringify(term)} is ${lex > 0 ? 'positive' : 'negative'} in the lexicon but ${w.id} has default polarity ${leaf.polarity}.`);
      }
    }
  }

  const labels = new Set(doc.domains.map((d) => d.label));
  for (const dim of STANDARD_DIMENSIONS) {
    if (!labels.has(dim)) error('missing_dimension', 'domains', `No level-1 domain is labelled ${dim}; the ten review dimensions need exactly these labels.`);
  }
  return issues;
}
