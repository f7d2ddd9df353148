import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { discoveredTopicRows } from '../nlp/model/discovered-topics.js';
import type { DiscoveredTopic } from '../nlp/model/discovery.js';
import { readTopicsFile, suggestCommand } from './codeframe-suggest.js';

const dir = mkdtempSync(join(tmpdir(), 'voc-suggest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topic = (id: string, size: number, terms: string[]): DiscoveredTopic => ({
  id,
  size,
  topTerms: terms,
  examples: ['车机黑屏，重启才好', '中控屏幕突然黑了'],
  firstSeen: '2026-11-01T08:00:00.000Z',
  lastSeen: '2026-11-20T08:00:00.000Z',
  embeddingModel: 'bge-small-zh',
});

async function run(args: string[], deps: Parameters<typeof suggestCommand>[0] = {}): Promise<string> {
  let out = '';
  const cmd = suggestCommand({ ...deps, write: (t) => (out += t) }).exitOverride();
  await cmd.parseAsync(args, { from: 'user' });
  return out;
}

describe('voc codeframe suggest', () => {
  it('prints topics from a file as paste-able code-frame leaves, largest first, filtered', async () => {
    const file = join(dir, 'topics.json');
    writeFileSync(file, JSON.stringify([topic('tsmall', 3, ['座椅']), topic('tbig', 40, ['黑屏', '车机', '重启']), topic('tmid', 12, ['导航', '偏航'])]));
    const out = await run(['--from', file, '--min-size', '10']);
    const leaves = parseYaml(out) as { id: string; label: string; terms: string[] }[];
    expect(leaves).toEqual([
      { id: 'NEW_TBIG', label: '黑屏/车机', terms: ['黑屏', '车机', '重启'] },
      { id: 'NEW_TMID', label: '导航/偏航', terms: ['导航', '偏航'] },
    ]);
    expect(out).toContain('# 1. topic tbig: 40 texts, 2026-11-01 … 2026-11-20, bge-small-zh');
    expect(out).toContain('#    e.g. 车机黑屏，重启才好');
  });

  it('reads discovered_topics rows as JSON lines and honours --limit and --format json', async () => {
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, discoveredTopicRows([topic('ta', 5, ['异响']), topic('tb', 9, ['胎噪'])]).map((r) => JSON.stringify(r)).join('\n'));
    const out = JSON.parse(await run(['--from', file, '--limit', '1', '--format', 'json'])) as { id: string; topic: DiscoveredTopic }[];
    expect(out.map((s) => [s.id, s.topic.size])).toEqual([['NEW_TB', 9]]);
    expect(out[0]?.topic.firstSeen).toBe('2026-11-01T08:00:00.000Z');
  });

  it('uses the injected store reader without --from', async () => {
    const seen: unknown[] = [];
    const out = await run(['--min-size', '2'], {
      loadTopics: (opts) => {
        seen.push(opts);
        return Promise.resolve([topic('tx', 7, ['续航'])]);
      },
    });
    expect(seen).toEqual([{ minSize: 2, limit: 20 }]);
    expect(out).toContain('- id: NEW_TX');
  });

  it('says so when there is nothing to suggest', async () => {
    const file = join(dir, 'empty.json');
    writeFileSync(file, '[]');
    expect(await run(['--from', file])).toContain('No discovered topics');
  });

  it('rejects a missing source, a missing file and a malformed topic with ConfigError', async () => {
    await expect(run([])).rejects.toBeInstanceOf(ConfigError);
    expect(() => readTopicsFile(join(dir, 'nope.json'))).toThrow(ConfigError);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 1 }]));
    expect(() => readTopicsFile(bad)).toThrow(ConfigError);
    const garbage = join(dir, 'garbage.jsonl');
    writeFileSync(garbage, '{"id":\nnot json');
    expect(() => readTopicsFile(garbage)).toThrow(ConfigError);
  });
});
