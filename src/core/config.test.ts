import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

const tmpFile = (name: string, body: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'voc-config-')), name);
  writeFileSync(file, body);
  return file;
};

describe('loadConfig', () => {
  it('defaults to the embedded pipeline: memory bus and chDB store', () => {
    const c = loadConfig({ env: {} });
    expect(c.bus.kind).toBe('memory');
    expect(c.store.kind).toBe('chdb');
    expect(c.store.path).toBe('.voc');
    expect(c.store.kAnonymity).toBe(5);
  });

  it('naming a server in the environment selects it', () => {
    const c = loadConfig({ env: { VOC_KAFKA_BROKERS: 'a:9092, b:9092', VOC_CLICKHOUSE_URL: 'http://ch:8123', VOC_K_ANONYMITY: '10' } });
    expect(c.bus).toMatchObject({ kind: 'kafka', kafka: { brokers: ['a:9092', 'b:9092'] } });
    expect(c.store).toMatchObject({ kind: 'clickhouse', kAnonymity: 10, clickhouse: { url: 'http://ch:8123' } });
  });

  it('reads YAML and lets the environment override it', () => {
    const file = tmpFile('voc.yaml', 'store:\n  path: /data/voc\n  kAnonymity: 7\npipeline:\n  batchSize: 200\n');
    const c = loadConfig({ file, env: { VOC_STORE_DIR: '/elsewhere' } });
    expect(c.store.path).toBe('/elsewhere');
    expect(c.store.kAnonymity).toBe(7);
    expect(c.pipeline.batchSize).toBe(200);
  });

  it('fails fast on an unknown key, naming it', () => {
    const file = tmpFile('voc.yaml', 'store:\n  pth: x\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {} })).toThrow(/store.*pth/);
  });

  it('fails fast on a wrong type, naming the key and what was expected', () => {
    const file = tmpFile('voc.json', JSON.stringify({ pipeline: { batchSize: 'many' } }));
    try {
      loadConfig({ file, env: {} });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toMatch(/pipeline\.batchSize.*number/);
    }
  });

  it('reports unreadable and unparsable files with typed errors', () => {
    expect(() => loadConfig({ file: '/nonexistent/voc.yaml', env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_UNREADABLE' }));
    expect(() => loadConfig({ file: tmpFile('bad.yaml', 'a: [1,\n'), env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_SYNTAX' }));
  });
});
