import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import { ConfigError } from '../core/errors.js';

/** Shortest secret accepted: shorter tokens could be guessed online, shorter HMAC keys brute-forced. */
export const MIN_SECRET_BYTES = 16;

export const TIMESTAMP_HEADER = 'x-voc-timestamp';
export const SIGNATURE_HEADER = 'x-voc-signature';

export type CredentialKind = 'token' | 'hmac';

interface Credential {
  channel: Channel;
  kind: CredentialKind;
  /** For logs and rate-limit buckets: channel, kind and position, never the secret. */
  id: string;
  secret: Buffer;
  /** SHA-256 of a bearer token: compared in constant time at a fixed length. */
  digest: Buffer;
}

export type AuthOutcome =
  | { ok: true; channel: Channel; credentialId: string; kind: CredentialKind }
  | { ok: false; status: 401 | 403; code: string; message: string };

/** Environment variable names for a channel: VOC_INGEST_TOKEN_PRIVATE_DOMAIN, VOC_INGEST_HMAC_SURVEY, … (and …_FILE). */
export function credentialEnvNames(channel: Channel): { token: string; hmac: string } {
  const suffix = channel.toUpperCase();
  return { token: `VOC_INGEST_TOKEN_${suffix}`, hmac: `VOC_INGEST_HMAC_${suffix}` };
}

const sha256 = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();

/** Constant-time equality of two digests of equal length (a length mismatch is a plain "no"). */
function equalDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function splitSecrets(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}

function readSecrets(env: NodeJS.ProcessEnv, name: string, readFile: (path: string) => string): { values: string[]; from: string[] } {
  const values: string[] = [];
  const from: string[] = [];
  const direct = env[name];
  if (direct !== undefined && direct !== '') {
    values.push(...splitSecrets(direct));
    from.push(name);
  }
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      throw new ConfigError(`${name}_FILE: cannot read ${file}: expected a readable file with one secret per line.`, { code: 'SECRET_UNREADABLE', cause: err });
    }
    values.push(...splitSecrets(text));
    from.push(`${name}_FILE`);
  }
  for (const v of values) {
    if (Buffer.byteLength(v) < MIN_SECRET_BYTES) {
      throw new ConfigError(`${name}: a secret is too short: expected at least ${MIN_SECRET_BYTES} bytes, got ${Buffer.byteLength(v)}.`, { code: 'SECRET_WEAK' });
    }
  }
  return { values, from };
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
}

/**
 * The ingest credentials: per channel, bearer tokens and HMAC-SHA256 keys, read from the
 * environment (VOC_INGEST_TOKEN_<CHANNEL>, VOC_INGEST_HMAC_<CHANNEL>, comma-separated for
 * rotation) or from files (…_FILE, one per line). Never from the config file, which lives in a
 * repository. Every comparison is constant-time over digests of equal length.
 */
export class CredentialStore {
  readonly #credentials: Credential[];

  constructor(credentials: { channel: Channel; kind: CredentialKind; secret: string }[]) {
    const counters = new Map<string, number>();
    this.#credentials = credentials.map((c) => {
      const k = `${c.channel}:${c.kind}`;
      const n = (counters.get(k) ?? 0) + 1;
      counters.set(k, n);
      const secret = Buffer.from(c.secret, 'utf8');
      return { channel: c.channel, kind: c.kind, id: `${k}:${n}`, secret, digest: sha256(secret) };
    });
  }

  static fromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): CredentialStore {
    const list: { channel: Channel; kind: CredentialKind; secret: string }[] = [];
    for (const channel of CHANNELS) {
      const names = credentialEnvNames(channel);
      for (const secret of readSecrets(env, names.token, readFile).values) list.push({ channel, kind: 'token', secret });
      for (const secret of readSecrets(env, names.hmac, readFile).values) list.push({ channel, kind: 'hmac', secret });
    }
    return new CredentialStore(list);
  }

  get size(): number {
    return this.#credentials.length;
  }

  /** What each channel accepts (for the start-up log; no secrets). */
  summary(): Record<Channel, CredentialKind[]> {
    const out = Object.fromEntries(CHANNELS.map((c) => [c, [] as CredentialKind[]])) as Record<Channel, CredentialKind[]>;
    for (const c of this.#credentials) if (!out[c.channel].includes(c.kind)) out[c.channel].push(c.kind);
    return out;
  }

  /** Parses `Authorization: Bearer <token>`; undefined when the header is absent. */
  static bearer(header: string | undefined): string | null | undefined {
    if (header === undefined) return undefined;
    const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
    return m ? (m[1] as string) : null;
  }

  /** Checks a bearer token for `channel`: 401 when no channel knows it, 403 when another channel does. */
  checkToken(channel: Channel, token: string): AuthOutcome {
    const digest = sha256(token);
    let match: Credential | undefined;
    let other: Credential | undefined;
    // Every credential is compared (no early exit), so the time does not say which one matched.
    for (const c of this.#credentials) {
      if (c.kind !== 'token') continue;
      if (equalDigest(c.digest, digest)) {
        if (c.channel === channel) match ??= c;
        else other ??= c;
      }
    }
    if (match) return { ok: true, channel, credentialId: match.id, kind: 'token' };
    if (other) return { ok: false, status: 403, code: 'CREDENTIAL_WRONG_CHANNEL', message: `The credential is not valid for channel ${channel}.` };
    return { ok: false, status: 401, code: 'CREDENTIAL_INVALID', message: 'The bearer token is not valid.' };
  }

  /**
   * Checks an HMAC-SHA256 signature over `timestamp + "." + body` (hex, optionally prefixed
   * `sha256=`), after the timestamp (Unix seconds) is found within the replay window.
   */
  checkSignature(channel: Channel, req: SignedRequest, nowMs: number, windowSeconds: number): AuthOutcome {
    const ts = req.timestamp?.trim();
    if (ts === undefined || !/^\d{1,12}$/.test(ts)) {
      return { ok: false, status: 401, code: 'SIGNATURE_TIMESTAMP_INVALID', message: 'X-Voc-Timestamp: expected Unix seconds.' };
    }
    const skew = Math.abs(nowMs / 1000 - Number(ts));
    if (skew > windowSeconds) {
      return {
        ok: false,
        status: 401,
        code: 'SIGNATURE_STALE',
        message: `X-Voc-Timestamp is ${Math.round(skew)} s away from the server clock: expected at most ${windowSeconds} s (replay window).`,
      };
    }
    const sig = (req.signature ?? '').trim().replace(/^sha256=/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sig)) {
      return { ok: false, status: 401, code: 'SIGNATURE_INVALID', message: 'X-Voc-Signature: expected 64 hex digits of HMAC-SHA256 (optionally prefixed sha256=).' };
    }
    const given = Buffer.from(sig, 'hex');
    let match: Credential | undefined;
    let other: Credential | undefined;
    for (const c of this.#credentials) {
      if (c.kind !== 'hmac') continue;
      const expected = signature(c.secret, ts, req.body);
      if (equalDigest(expected, given)) {
        if (c.channel === channel) match ??= c;
        else other ??= c;
      }
    }
    if (match) return { ok: true, channel, credentialId: match.id, kind: 'hmac' };
    if (other) return { ok: false, status: 403, code: 'CREDENTIAL_WRONG_CHANNEL', message: `The credential is not valid for channel ${channel}.` };
    return { ok: false, status: 401, code: 'SIGNATURE_INVALID', message: 'The signature does not match the body and timestamp.' };
  }
}

/** HMAC-SHA256 over `timestamp + "." + body`: what a sender computes (see docs/operations.md). */
export function signature(secret: Buffer | string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The headers a sender adds to a signed request. */
export function signHeaders(secret: string, body: Buffer | string, nowMs = Date.now()): Record<string, string> {
  const ts = String(Math.floor(nowMs / 1000));
  return { 'X-Voc-Timestamp': ts, 'X-Voc-Signature': `sha256=${signature(secret, ts, body).toString('hex')}` };
}
