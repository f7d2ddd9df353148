import type { ParseOutcome } from './connector.js';
import type { FeedbackEvent } from '../core/feedback-event.js';
import { Pseudonymizer } from '../core/pseudonym.js';
import { connectorRegistry } from './registry.js';
import type { ParseContext } from './common/parse-context.js';

export const TEST_KEY = 'unit-test-pseudonym-key-0123456789';
export const FIXED_NOW = new Date('2024-05-01T00:00:00.000Z');

export function testPseudonymizer(): Pseudonymizer {
  return new Pseudonymizer(TEST_KEY);
}

type Registry = typeof connectorRegistry;
type ConfigOf<K extends keyof Registry> = Parameters<Registry[K]['createParseContext']>[0];

/** A parse context for one channel with its default config (plus overrides) and a fixed clock. */
export function testContext<K extends keyof Registry>(channel: K, config: Record<string, unknown> = {}): ParseContext<ConfigOf<K>> {
  const def = connectorRegistry[channel];
  const parsed = def.parseConfig(config) as ConfigOf<K>;
  return def.createParseContext(parsed as never, { pseudonymizer: testPseudonymizer(), now: () => FIXED_NOW }) as ParseContext<ConfigOf<K>>;
}

export async function collect(it: AsyncIterable<ParseOutcome>): Promise<ParseOutcome[]> {
  const out: ParseOutcome[] = [];
  for await (const o of it) out.push(o);
  return out;
}

export function events(outcomes: ParseOutcome[]): FeedbackEvent[] {
  return outcomes.flatMap((o) => (o.kind === 'event' ? [o.event] : []));
}

export function kinds(outcomes: ParseOutcome[]): string[] {
  return outcomes.map((o) => (o.kind === 'event' ? 'event' : o.kind === 'skipped' ? `skipped:${o.reason}` : `dead_letter:${o.letter.code}`));
}

export function only<T>(items: T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one item, got ${items.length}`);
  return items[0] as T;
}
