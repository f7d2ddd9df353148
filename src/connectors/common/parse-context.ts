import type { Channel } from '../../core/feedback-event.js';
import type { Pseudonymizer } from '../../core/pseudonym.js';
import { FingerprintCache } from './fingerprint.js';

/**
 * Everything a pure parsing core needs besides the record: the connector's parsed config, the
 * keyed pseudonymiser, the receivedAt clock and the duplicate memory. No I/O happens through it, so
 * the same core serves file replay and the HTTP ingest endpoint.
 */
export interface ParseContext<C> {
  channel: Channel;
  config: C;
  pseudonymizer: Pseudonymizer;
  /** The receivedAt clock (injected so that tests and replays are deterministic). */
  now: () => Date;
  /** Content fingerprints seen recently (social duplicates); bounded. */
  fingerprints: FingerprintCache;
}

export interface ParseContextOptions {
  pseudonymizer: Pseudonymizer;
  now?: () => Date;
  /** How many content fingerprints to remember; defaults to the connector config's dedupWindow or 100 000. */
  fingerprintCapacity?: number;
}

export function makeParseContext<C>(channel: Channel, config: C, opts: ParseContextOptions): ParseContext<C> {
  const capacity = opts.fingerprintCapacity ?? 100_000;
  return {
    channel,
    config,
    pseudonymizer: opts.pseudonymizer,
    now: opts.now ?? (() => new Date()),
    fingerprints: new FingerprintCache(capacity),
  };
}
