import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI as a user runs it (from source through tsx, so no build step is needed for tests).
function voc(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, VOC_KAFKA_BROKERS: '', VOC_CLICKHOUSE_URL: '', VOC_PSEUDONYM_KEY: '', ...env },
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const tmpStore = (): string => join(mkdtempSync(join(tmpdir(), 'voc-cli-')), 'store');

describe('voc CLI', () => {
  it('documents every command', () => {
    const top = voc(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['replay', 'sql', 'tag', 'migrate', 'codeframe', 'serve']) expect(top.stdout).toContain(c);
    for (const c of ['replay', 'sql', 'tag', 'migrate', 'serve']) {
      const sub = voc([c, '--help']);
      expect(sub.code, c).toBe(0);
      expect(sub.stdout).toMatch(/Usage: voc/);
    }
  });

  it('replays the sample on the embedded default, balances the accounting, and a second replay changes no count', () => {
    const store = tmpStore();
    const first = voc(['replay', '--store', store, 'examples/feedback-events.jsonl']);
    expect(first.stderr).not.toMatch(/unexpected error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/read=43 published=41 processed=41 skipped=0 dead_lettered=2 written=41/);
    expect(first.stdout).toMatch(/\(balanced/);
    expect(first.stdout).toMatch(/BAD_JSON=1/);

    const countsSql = 'SELECT channel, count() AS n FROM events GROUP BY channel ORDER BY channel';
    const before = voc(['sql', '--store', store, '--format', 'json', countsSql]);
    expect(before.code).toBe(0);
    const rows = before.stdout.trim().split('\n').map((l) => JSON.parse(l) as { channel: string; n: string | number });
    expect(rows.map((r) => r.channel)).toEqual(['dealer', 'hotline', 'private_domain', 'social', 'survey']);
    expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(41);

    const mentionsSql = 'SELECT count() FROM mentions';
    const mentionsBefore = voc(['sql', '--store', store, '--format', 'tsv', mentionsSql]).stdout;

    const second = voc(['replay', '--store', store, 'examples/feedback-events.jsonl']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/processed=41 .*written=0 duplicates=41/);
    expect(voc(['sql', '--store', store, '--format', 'json', countsSql]).stdout).toBe(before.stdout);
    expect(voc(['sql', '--store', store, '--format', 'tsv', mentionsSql]).stdout).toBe(mentionsBefore);

    const letters = voc(['sql', '--store', store, '--format', 'tsv', "SELECT code, position FROM dead_letters ORDER BY position"]);
    expect(letters.stdout).toMatch(/BAD_JSON\texamples\/feedback-events.jsonl:21/);
    expect(letters.stdout).toMatch(/SCHEMA_INVALID\texamples\/feedback-events.jsonl:31/);
  });

  it('writes csv with a header and tsv without', () => {
    const store = tmpStore();
    expect(voc(['replay', '--store', store, 'examples/feedback-events.jsonl']).code).toBe(0);
    const csv = voc(['sql', '--store', store, '--format', 'csv', 'SELECT 1 AS one']);
    expect(csv.stdout.trim().split('\n')).toEqual(['"one"', '1']);
    expect(voc(['sql', '--store', store, '--format', 'tsv', 'SELECT 1 AS one']).stdout).toBe('1\n');
  });

  it('fails fast on a bad config key, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-cfg-'));
    const file = join(dir, 'voc.yaml');
    writeFileSync(file, 'store:\n  kanonymity: 3\n');
    const res = voc(['sql', '--config', file, 'SELECT 1']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/store.*kanonymity/);
  });

  it('says clearly when the input does not exist', () => {
    const res = voc(['replay', '--store', tmpStore(), 'no/such/file.jsonl']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no\/such\/file.jsonl does not exist/);
  });

  it('tags stdin JSONL line by line, with an error line for bad input', () => {
    const res = voc(['tag'], '{"id":"1","text":"車機常常當機，換擋頓挫，電話13812345678"}\nnot json\n');
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: '1' });
    expect(lines[0]?.text).not.toContain('13812345678');
    expect(lines[1]).toMatchObject({ id: null, line: 2, error: { code: 'BAD_JSON' } });
    expect(res.code).toBe(1);
  });

  describe('with the model stage on (tiny random-weight models in ../shared/models)', () => {
    const modelConfig = (modelDir: string): string => {
      const file = join(mkdtempSync(join(tmpdir(), 'voc-model-')), 'voc.yaml');
      writeFileSync(
        file,
        `model:\n  enabled: true\n  modelDir: ${modelDir}\n  sentimentModel: tiny-zh-bert-sentiment\n  embeddingModel: tiny-zh-bert-embed\n`,
      );
      return file;
    };
    const sharedModels = join(process.cwd(), '..', 'shared', 'models');

    it('voc tag output carries the model fields', () => {
      const res = voc(['tag', '--config', modelConfig(sharedModels)], '{"id":"a","text":"换挡顿挫，但是动力还行"}\n');
      expect(res.stderr).not.toMatch(/unexpected error/);
      const out = JSON.parse(res.stdout.trim()) as { model?: { sentimentModel: string; embeddingModel: string } };
      expect(out.model).toMatchObject({ sentimentModel: 'tiny-zh-bert-sentiment', embeddingModel: 'tiny-zh-bert-embed' });
    });

    it('voc replay runs end to end and balances', () => {
      const res = voc(['replay', '--config', modelConfig(sharedModels), '--store', tmpStore(), 'examples/feedback-events.jsonl']);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/processed=41 .*\(balanced/);
    });

    it('refuses to start when the model directory is missing, naming the path', () => {
      const res = voc(['replay', '--config', modelConfig('/nonexistent/models'), '--store', tmpStore(), 'examples/feedback-events.jsonl']);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/\/nonexistent\/models\/tiny-zh-bert-sentiment/);
      expect(res.stdout).not.toMatch(/voc replay: read=/);
    });
  });
});
