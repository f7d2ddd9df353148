import { describe, expect, it } from 'vitest';
import { loadMigrations, parseSqlFile, statementApplies } from './migrations.js';
import { parseVersion } from './version.js';
import { renderViews, DEFAULT_VIEW_PARAMS } from './views.js';
import { ConfigError } from '../../core/errors.js';

describe('parseSqlFile', () => {
  it('splits statements on a trailing semicolon, drops comments, and reads the version gates', () => {
    const text = `-- header\nCREATE TABLE a (x String) ENGINE = Memory;\n\n-- @since 19.6\nCREATE TABLE b (x String)\nENGINE = MergeTree ORDER BY x\nTTL d;\n-- @before 19.6\nCREATE TABLE b (x String) ENGINE = MergeTree ORDER BY x;\n`;
    const st = parseSqlFile(text);
    expect(st).toHaveLength(3);
    expect(st[0]).toEqual({ sql: 'CREATE TABLE a (x String) ENGINE = Memory' });
    expect(st[1]).toMatchObject({ since: '19.6' });
    expect(st[1]?.sql).toContain('TTL d');
    expect(st[2]).toMatchObject({ before: '19.6' });
  });

  it('runs exactly one variant of a gated pair on any version', () => {
    const [since, before] = parseSqlFile('-- @since 19.6\nA;\n-- @before 19.6\nB;');
    for (const v of ['18.16.1', '19.5.9', '19.6.0', '26.7.2.1']) {
      const ver = parseVersion(v);
      expect(Number(statementApplies(since!, ver)) + Number(statementApplies(before!, ver))).toBe(1);
    }
    expect(statementApplies(since!, parseVersion('18.16.1'))).toBe(false);
    expect(statementApplies(since!, parseVersion('26.7.2.1'))).toBe(true);
  });
});

describe('the migrations in schemas/clickhouse', () => {
  const migrations = loadMigrations();

  it('are numbered 1..n without gaps, each with statements', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) expect(m.statements.length).toBeGreaterThan(0);
  });

  it('are idempotent by construction: every CREATE says IF NOT EXISTS', () => {
    for (const m of migrations) {
      for (const st of m.statements) {
        if (/^CREATE/i.test(st.sql)) expect(st.sql, `${m.name}: ${st.sql.slice(0, 60)}`).toMatch(/^CREATE (MATERIALIZED VIEW|TABLE|VIEW) IF NOT EXISTS/);
      }
    }
  });

  it('use no construct 18.16 lacks outside a @since gate', () => {
    const v1816 = parseVersion('18.16.1');
    for (const m of migrations) {
      for (const st of m.statements.filter((s) => statementApplies(s, v1816))) {
        expect(st.sql).not.toMatch(/\bTTL\b|LowCardinality|Nullable|SimpleAggregateFunction|IF NOT EXISTS\s+\w+\s+UInt|\bOVER\s*\(/);
      }
    }
  });
});

describe('renderViews', () => {
  it('writes k into every published view', () => {
    const views = renderViews({ ...DEFAULT_VIEW_PARAMS, k: 7 });
    const published = views.filter((v) => v.name.startsWith('v_'));
    expect(published.length).toBeGreaterThanOrEqual(8);
    for (const v of published) {
      expect(v.sql, v.name).toMatch(/>= 7\b/);
      expect(v.sql).not.toContain('{{');
    }
  });

  it('changes the checksum when k changes, so the views are re-created', () => {
    const a = renderViews({ ...DEFAULT_VIEW_PARAMS, k: 5 });
    const b = renderViews({ ...DEFAULT_VIEW_PARAMS, k: 6 });
    expect(a.find((v) => v.name === 'v_channel_mix')?.checksum).not.toBe(b.find((v) => v.name === 'v_channel_mix')?.checksum);
  });

  it('refuses a k that is not a positive integer', () => {
    expect(() => renderViews({ ...DEFAULT_VIEW_PARAMS, k: 0 })).toThrow(ConfigError);
    expect(() => renderViews({ ...DEFAULT_VIEW_PARAMS, k: 2.5 })).toThrow(ConfigError);
  });
});
