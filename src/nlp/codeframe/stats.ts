import type { CodeFrameDocument } from './document.js';
import { termKey, walkLeaves } from './document.js';

export interface DomainStats {
  id: string;
  label: string;
  components: number;
  leaves: number;
  /** Terms as written (Traditional and regional variants counted separately). */
  terms: number;
  /** Distinct terms after Traditional→Simplified normalisation. */
  distinctTerms: number;
  byPolarity: Record<'-1' | '0' | '1', number>;
}

export interface CodeFrameStats {
  version: string;
  domains: number;
  components: number;
  leaves: number;
  terms: number;
  distinctTerms: number;
  /** Terms whose normalised form differs from the written one (Traditional / regional / full-width). */
  variantTerms: number;
  contextRules: number;
  scaled: number;
  byPolarity: Record<'-1' | '0' | '1', number>;
  byNeed: Record<string, number>;
  byDepartment: Record<string, number>;
  perDomain: DomainStats[];
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Counts per level, domain, polarity, need layer and department. */
export function codeFrameStats(doc: CodeFrameDocument): CodeFrameStats {
  const perDomain = new Map<string, DomainStats & { keys: Set<string> }>();
  for (const d of doc.domains) {
    perDomain.set(d.id, { id: d.id, label: d.label, components: d.components.length, leaves: 0, terms: 0, distinctTerms: 0, byPolarity: { '-1': 0, '0': 0, '1': 0 }, keys: new Set() });
  }
  const allKeys = new Set<string>();
  const out: CodeFrameStats = {
    version: doc.version,
    domains: doc.domains.length,
    components: doc.domains.reduce((n, d) => n + d.components.length, 0),
    leaves: 0,
    terms: 0,
    distinctTerms: 0,
    variantTerms: 0,
    contextRules: 0,
    scaled: 0,
    byPolarity: { '-1': 0, '0': 0, '1': 0 },
    byNeed: {},
    byDepartment: {},
    perDomain: [],
  };
  for (const w of walkLeaves(doc)) {
    const ds = perDomain.get(w.domain.id);
    const pol = String(w.leaf.polarity) as '-1' | '0' | '1';
    out.leaves += 1;
    out.terms += w.leaf.terms.length;
    out.byPolarity[pol] += 1;
    bump(out.byNeed, w.need);
    bump(out.byDepartment, w.department);
    if (w.leaf.context) out.contextRules += 1;
    if (w.leaf.scale) out.scaled += 1;
    for (const t of w.leaf.terms) {
      const k = termKey(t);
      allKeys.add(k);
      ds?.keys.add(k);
      if (k !== t) out.variantTerms += 1;
    }
    if (ds) {
      ds.leaves += 1;
      ds.terms += w.leaf.terms.length;
      ds.byPolarity[pol] += 1;
    }
  }
  out.distinctTerms = allKeys.size;
  out.perDomain = [...perDomain.values()].map(({ keys, ...s }) => ({ ...s, distinctTerms: keys.size }));
  return out;
}

/** A plain-text table for the terminal. */
export function formatCodeFrameStats(s: CodeFrameStats): string {
  const lines = [
    `code frame ${s.version}: ${s.domains} domains, ${s.components} components, ${s.leaves} leaves, ${s.terms} terms (${s.distinctTerms} distinct after normalisation, ${s.variantTerms} Traditional/regional/width variants)`,
    `context rules ${s.contextRules}, scaled leaves ${s.scaled}; default polarity −1: ${s.byPolarity['-1']}, 0: ${s.byPolarity['0']}, +1: ${s.byPolarity['1']}`,
    `need layers: ${Object.entries(s.byNeed).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `departments: ${Object.entries(s.byDepartment).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    `${'domain'.padEnd(8)}${'label'.padEnd(16)}${'comp'.padStart(6)}${'leaves'.padStart(8)}${'terms'.padStart(8)}${'distinct'.padStart(10)}${'−1/0/+1'.padStart(12)}`,
  ];
  for (const d of s.perDomain) {
    // CJK labels are two columns wide: pad by display width.
    const labelPad = 16 - [...d.label].reduce((w, ch) => w + (/[\u2E80-\uFFFF]/.test(ch) ? 2 : 1), 0);
    lines.push(
      `${d.id.padEnd(8)}${d.label}${' '.repeat(Math.max(1, labelPad))}${String(d.components).padStart(6)}${String(d.leaves).padStart(8)}${String(d.terms).padStart(8)}${String(d.distinctTerms).padStart(10)}${`${d.byPolarity['-1']}/${d.byPolarity['0']}/${d.byPolarity['1']}`.padStart(12)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
