import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../core/errors.js';
import { CredentialStore, signHeaders, signature } from './credentials.js';

const TOKEN_SURVEY = 'survey-token-0123456789abcdef';
const TOKEN_SOCIAL = 'social-token-0123456789abcdef';
const HMAC_SURVEY = 'survey-hmac-key-0123456789abcdef';
const HMAC_HOTLINE = 'hotline-hmac-key-0123456789abcdef';

function store(): CredentialStore {
  return CredentialStore.fromEnv({
    VOC_INGEST_TOKEN_SURVEY: TOKEN_SURVEY,
    VOC_INGEST_TOKEN_SOCIAL: `${TOKEN_SOCIAL}, rotated-social-token-0123456789`,
    VOC_INGEST_HMAC_SURVEY: HMAC_SURVEY,
    VOC_INGEST_HMAC_HOTLINE_FILE: '/secrets/hotline',
  }, (path) => {
    if (path === '/secrets/hotline') return `# hotline key\n${HMAC_HOTLINE}\n`;
    throw new Error('no such file');
  });
}

describe('CredentialStore', () => {
  it('reads tokens and keys per channel from env and files, with rotation lists', () => {
    const s = store();
    expect(s.size).toBe(5);
    expect(s.summary()).toEqual({ hotline: ['hmac'], survey: ['token', 'hmac'], private_domain: [], social: ['token'], dealer: [] });
    expect(s.checkToken('social', 'rotated-social-token-0123456789')).toMatchObject({ ok: true, credentialId: 'social:token:2' });
  });

  it('accepts a token for its channel, 403 for another channel, 401 for an unknown token', () => {
    const s = store();
    expect(s.checkToken('survey', TOKEN_SURVEY)).toEqual({ ok: true, channel: 'survey', credentialId: 'survey:token:1', kind: 'token' });
    expect(s.checkToken('hotline', TOKEN_SURVEY)).toMatchObject({ ok: false, status: 403, code: 'CREDENTIAL_WRONG_CHANNEL' });
    expect(s.checkToken('survey', `${TOKEN_SURVEY}x`)).toMatchObject({ ok: false, status: 401, code: 'CREDENTIAL_INVALID' });
    expect(s.checkToken('survey', TOKEN_SURVEY.slice(0, -1))).toMatchObject({ ok: false, status: 401 });
  });

  it('parses the Authorization header', () => {
    expect(CredentialStore.bearer(undefined)).toBeUndefined();
    expect(CredentialStore.bearer('Bearer abc')).toBe('abc');
    expect(CredentialStore.bearer('bearer  abc ')).toBe('abc');
    expect(CredentialStore.bearer('Basic abc')).toBeNull();
    expect(CredentialStore.bearer('Bearer')).toBeNull();
  });

  it('verifies HMAC signatures over timestamp.body within the replay window', () => {
    const s = store();
    const now = 1_800_000_000_000;
    const body = Buffer.from('{"a":1}');
    const h = signHeaders(HMAC_SURVEY, body, now);
    const req = { timestamp: h['X-Voc-Timestamp'], signature: h['X-Voc-Signature'], body };
    expect(s.checkSignature('survey', req, now, 300)).toMatchObject({ ok: true, credentialId: 'survey:hmac:1', kind: 'hmac' });
    // Plain hex (no sha256= prefix) is accepted too.
    expect(s.checkSignature('survey', { ...req, signature: req.signature?.slice(7) }, now, 300)).toMatchObject({ ok: true });
    // Within the window on both sides; outside is stale.
    expect(s.checkSignature('survey', req, now + 299_000, 300)).toMatchObject({ ok: true });
    expect(s.checkSignature('survey', req, now + 301_000, 300)).toMatchObject({ ok: false, status: 401, code: 'SIGNATURE_STALE' });
    expect(s.checkSignature('survey', req, now - 301_000, 300)).toMatchObject({ ok: false, code: 'SIGNATURE_STALE' });
    // Another body, another timestamp with the same signature, or another channel's key.
    expect(s.checkSignature('survey', { ...req, body: Buffer.from('{"a":2}') }, now, 300)).toMatchObject({ ok: false, status: 401, code: 'SIGNATURE_INVALID' });
    expect(s.checkSignature('survey', { ...req, timestamp: String(Number(req.timestamp) + 1) }, now, 300)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(s.checkSignature('hotline', req, now, 300)).toMatchObject({ ok: false, status: 403, code: 'CREDENTIAL_WRONG_CHANNEL' });
    const hot = signHeaders(HMAC_HOTLINE, body, now);
    expect(s.checkSignature('hotline', { timestamp: hot['X-Voc-Timestamp'], signature: hot['X-Voc-Signature'], body }, now, 300)).toMatchObject({ ok: true });
  });

  it('refuses malformed signature headers with 401', () => {
    const s = store();
    const body = Buffer.from('x');
    expect(s.checkSignature('survey', { timestamp: undefined, signature: 'a'.repeat(64), body }, 0, 300)).toMatchObject({ status: 401, code: 'SIGNATURE_TIMESTAMP_INVALID' });
    expect(s.checkSignature('survey', { timestamp: '2024-01-01', signature: 'a'.repeat(64), body }, 0, 300)).toMatchObject({ code: 'SIGNATURE_TIMESTAMP_INVALID' });
    expect(s.checkSignature('survey', { timestamp: '0', signature: 'zz', body }, 0, 300)).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('never accepts a signature it did not make (property)', () => {
    const s = store();
    const now = 1_800_000_000_000;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 80 }), (bytes, sig) => {
        const r = s.checkSignature('survey', { timestamp: String(now / 1000), signature: sig, body: Buffer.from(bytes) }, now, 300);
        expect(r.ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const body = Buffer.from(bytes);
        const ts = String(now / 1000);
        const sig = signature(HMAC_SURVEY, ts, body).toString('hex');
        expect(s.checkSignature('survey', { timestamp: ts, signature: sig, body }, now, 300).ok).toBe(true);
      }),
    );
  });

  it('refuses short secrets and unreadable secret files at start', () => {
    expect(() => CredentialStore.fromEnv({ VOC_INGEST_TOKEN_DEALER: 'short' })).toThrow(ConfigError);
    try {
      CredentialStore.fromEnv({ VOC_INGEST_HMAC_DEALER_FILE: '/nope' }, () => {
        throw new Error('ENOENT');
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('SECRET_UNREADABLE');
    }
  });
});
