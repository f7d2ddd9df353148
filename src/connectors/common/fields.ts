import { z } from 'zod';

/**
 * Field names differ between exports of the same system (call_id, callId, 呼叫ID, "Call ID"):
 * each format lists its canonical keys with their aliases, compared after normalising case,
 * width, spaces and separators.
 */
export type AliasTable<K extends string> = Readonly<Record<K, readonly string[]>>;

export function normaliseKey(key: string): string {
  return key
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-./()（）:：#*?？]/g, '');
}

export function aliasLookup<K extends string>(table: AliasTable<K>): Map<string, K> {
  const map = new Map<string, K>();
  for (const canonical of Object.keys(table) as K[]) {
    map.set(normaliseKey(canonical), canonical);
    for (const alias of table[canonical]) map.set(normaliseKey(alias), canonical);
  }
  return map;
}

/**
 * Renames the known keys of a record to their canonical names and returns the rest apart (the
 * survey uses the rest as open-answer columns). The first key that maps to a name wins.
 */
export function canonicalise<K extends string>(
  record: Record<string, unknown>,
  lookup: Map<string, K>,
): { known: Partial<Record<K, unknown>>; rest: [string, unknown][] } {
  const known: Partial<Record<K, unknown>> = {};
  const rest: [string, unknown][] = [];
  for (const [key, value] of Object.entries(record)) {
    const canonical = lookup.get(normaliseKey(key));
    if (canonical === undefined) rest.push([key, value]);
    else if (!(canonical in known)) known[canonical] = value;
  }
  return { known, rest };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const blankToUndefined = (v: unknown): unknown => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);

/** A record id: string or number, trimmed, not empty. */
export const idField = z
  .union([z.string(), z.number().finite()], { error: (iss) => (iss.input === undefined ? 'required, missing' : 'expected a string or number id') })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'a non-empty id').max(200));

export const optionalId = z.preprocess(blankToUndefined, idField.optional());

export function optionalString(max: number) {
  return z.preprocess((v) => {
    const b = blankToUndefined(v);
    return typeof b === 'number' ? String(b) : b;
  }, z.string().trim().max(max).optional());
}

/** Integers from JSON numbers or CSV strings ("9", " 9 ", "9.0"). */
export function optionalInt(min: number, max: number) {
  return z.preprocess((v) => {
    const b = blankToUndefined(v);
    return typeof b === 'string' ? Number(b.trim()) : b;
  }, z.number().int().min(min).max(max).optional());
}

export function optionalNumber(min: number, max: number) {
  return z.preprocess((v) => {
    const b = blankToUndefined(v);
    return typeof b === 'string' ? Number(b.trim()) : b;
  }, z.number().min(min).max(max).optional());
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'on', '是', '同意', '愿意', '已同意', 'opt-in', 'optin']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'off', '否', '不同意', '不愿意', '未同意', 'opt-out', 'optout']);

/** Consent flags as exports write them: true/1/是/同意 and false/0/否/不同意; anything else is invalid. */
export const optionalBool = z.preprocess((v) => {
  const b = blankToUndefined(v);
  if (typeof b === 'number') return b === 1 ? true : b === 0 ? false : b;
  if (typeof b === 'string') {
    const w = b.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  return b;
}, z.boolean().optional());

/** A timestamp in any accepted shape; parsed (and refused with TIMESTAMP_INVALID) by toIsoTimestamp. */
export const timestampField = z.union([z.string().max(64), z.number()], {
  error: (iss) => (iss.input === undefined ? 'required, missing' : 'expected a timestamp string or epoch number'),
});
export const optionalTimestamp = z.preprocess(blankToUndefined, timestampField.optional());

/** Zod issues as one sentence, without the values (they may be identifiers). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}
