import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';

/** Minimum key length: an HMAC key shorter than this could be brute-forced over phone numbers. */
export const MIN_PSEUDONYM_KEY_BYTES = 16;

/**
 * Turns person identifiers (phone, openid, VIN, handles) into keyed HMACs at the edge. The raw value
 * is never stored or published; without the key a pseudonym cannot be reversed by enumerating
 * phone numbers. The namespace keeps e.g. an agent id and a customer id with the same digits apart.
 */
export class Pseudonymizer {
  readonly #key: Buffer;

  constructor(key: string | Buffer) {
    const buf = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (buf.length < MIN_PSEUDONYM_KEY_BYTES) {
      throw new ConfigError(`Pseudonym key is too short: expected at least ${MIN_PSEUDONYM_KEY_BYTES} bytes, got ${buf.length}.`, {
        code: 'PSEUDONYM_KEY_WEAK',
      });
    }
    this.#key = buf;
  }

  /** 32 hex digits (128 bits) of HMAC-SHA256 over `namespace:normalised value`. */
  pseudonymize(namespace: string, value: string): string {
    const normalised = value.normalize('NFKC').trim().toLowerCase();
    return createHmac('sha256', this.#key).update(`${namespace}:${normalised}`).digest('hex').slice(0, 32);
  }

  /** Like pseudonymize, but passes undefined/empty through as null. */
  maybe(namespace: string, value: string | number | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    const s = String(value).trim();
    return s === '' ? null : this.pseudonymize(namespace, s);
  }
}

export interface ResolvedPseudonymKey {
  key: string;
  origin: 'env' | 'store-file' | 'generated';
  path?: string;
}

/**
 * The key comes from VOC_PSEUDONYM_KEY. The long-running service requires it; a local replay falls
 * back to a key generated once per store directory (and says so), so that replays into the same
 * store give the same pseudonyms.
 */
export function resolvePseudonymKey(opts: { env: NodeJS.ProcessEnv; storeKeyFile?: string; required: boolean }): ResolvedPseudonymKey {
  const fromEnv = opts.env.VOC_PSEUDONYM_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (Buffer.byteLength(fromEnv) < MIN_PSEUDONYM_KEY_BYTES) {
      throw new ConfigError(`VOC_PSEUDONYM_KEY is too short: expected at least ${MIN_PSEUDONYM_KEY_BYTES} bytes.`, { code: 'PSEUDONYM_KEY_WEAK' });
    }
    return { key: fromEnv, origin: 'env' };
  }
  if (opts.required || !opts.storeKeyFile) {
    throw new ConfigError('VOC_PSEUDONYM_KEY is not set: expected a secret of at least 16 bytes (e.g. `openssl rand -hex 32`).', {
      code: 'PSEUDONYM_KEY_MISSING',
    });
  }
  const path = opts.storeKeyFile;
  if (existsSync(path)) return { key: readFileSync(path, 'utf8').trim(), origin: 'store-file', path };
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return { key, origin: 'generated', path };
}
