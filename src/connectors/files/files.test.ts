import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { readChannelFile } from '../registry.js';
import { collect, kinds, testPseudonymizer } from '../test-helpers.js';
import { csvRows } from './csv-rows.js';
import { decodeChunks, detectEncoding } from './decode.js';
import { splitJsonDocument, splitJsonLines, type SplitItem } from './json-split.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function* bytesOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const texts = (items: SplitItem[]): string[] => items.map((i) => (i.kind === 'record' ? i.text : `<${i.kind}>`));

describe('encoding detection', () => {
  it('tells UTF-8, UTF-8 with BOM, GBK and GB18030 with BOM apart', () => {
    const s = '经销商代码,客户评价\nSH021,保養後異音還在';
    expect(detectEncoding(Buffer.from(s, 'utf8'), true)).toBe('utf8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]), true)).toBe('utf8');
    expect(detectEncoding(iconv.encode(s, 'gbk'), true)).toBe('gb18030');
    expect(detectEncoding(Buffer.from([0x84, 0x31, 0x95, 0x33, 0x41]), true)).toBe('gb18030');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]), true)).toBe('utf16le');
  });

  it('does not mistake a UTF-8 character cut at the end of the window for GBK', () => {
    const cut = Buffer.from('车', 'utf8').subarray(0, 2);
    expect(detectEncoding(cut, false)).toBe('utf8');
    expect(detectEncoding(cut, true)).toBe('gb18030');
  });

  it('decodes across chunk boundaries that split characters, and counts every byte', async () => {
    const s = '保养价格透明，顾问提前把费用都讲清楚了。'.repeat(5000); // > 64 KiB in GBK
    const gbk = iconv.encode(s, 'gbk');
    let bytes = 0;
    const out = (await all(decodeChunks(bytesOf(gbk, 4097), 'auto', (n) => (bytes += n))))
      .join('');
    expect(out).toBe(s);
    expect(bytes).toBe(gbk.length);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);
    expect((await all(decodeChunks(bytesOf(utf8, 1000), 'auto'))).join('')).toBe(s);
  });
});

describe('JSON splitting', () => {
  it('yields array elements with their start lines, whatever the chunking', async () => {
    const doc = '[\n  {"a": "x]},{[\\"y"},\n  {"b": [1, {"c": 2}]}\n, 3, "s"]\n';
    for (const size of [1, 2, 7, 1000]) {
      const items = await all(splitJsonDocument(chunksOf(doc, size), 1000));
      expect(texts(items)).toEqual(['{"a": "x]},{[\\"y"}', '{"b": [1, {"c": 2}]}', '3', '"s"']);
      expect(items.map((i) => i.line)).toEqual([2, 3, 4, 4]);
    }
  });

  it('reads one object, or objects one after another', async () => {
    expect(texts(await all(splitJsonDocument(chunksOf('{"a":1}', 3), 100)))).toEqual(['{"a":1}']);
    expect(texts(await all(splitJsonDocument(chunksOf('{"a":1}\n{"b":2}\n', 3), 100)))).toEqual(['{"a":1}', '{"b":2}']);
    expect(texts(await all(splitJsonDocument(chunksOf('[{"a":1}]\n[{"b":2}] x', 3), 100)))).toEqual(['{"a":1}', '{"b":2}', '<syntax>']);
  });

  it('reports a truncated value, junk and an oversized record, and goes on', async () => {
    expect(texts(await all(splitJsonDocument(chunksOf('[{"a":1},{"b":', 4), 100)))).toEqual(['{"a":1}', '<syntax>']);
    expect(texts(await all(splitJsonDocument(chunksOf('<html> {"a":1}', 4), 100)))).toEqual(['<syntax>', '{"a":1}']);
    const big = `[{"t":"${'x'.repeat(200)}"},{"a":1}]`;
    expect(texts(await all(splitJsonDocument(chunksOf(big, 16), 100)))).toEqual(['<too_large>', '{"a":1}']);
  });

  it('splits JSON Lines, skipping blank lines and capping long lines', async () => {
    const items = await all(splitJsonLines(chunksOf(`{"a":1}\r\n\n${'x'.repeat(50)}\n{"b":2}`, 3), 20));
    expect(texts(items)).toEqual(['{"a":1}', '<too_large>', '{"b":2}']);
    expect(items.map((i) => i.line)).toEqual([1, 3, 4]);
  });
});

describe('CSV rows', () => {
  it('maps rows to the header, reports wrong column counts and unparseable rows, and goes on', async () => {
    const csv = '\uFEFFid,text\n1,"多行\n文本"\n2,a,extra\n,\n3,"未闭合\n';
    const items = await all(csvRows(chunksOf(csv, 5), { maxChars: 1000 }));
    expect(items[0]).toMatchObject({ kind: 'row', row: { id: '1', text: '多行\n文本' }, line: 2 });
    expect(items[1]).toMatchObject({ kind: 'error', code: 'CSV_COLUMN_COUNT', line: 4 });
    expect(items[2]).toMatchObject({ kind: 'blank', line: 5 });
    expect(items.slice(3).map((i) => i.kind)).toEqual(['error']);
  });
});

describe('readChannelFile', () => {
  it('throws ConfigError up front for an unknown channel, a bad config or a missing input', () => {
    const pseudonymizer = testPseudonymizer();
    expect(() => readChannelFile('fax' as never, 'examples/social', { pseudonymizer })).toThrow(ConfigError);
    expect(() => readChannelFile('social', 'examples/social', { pseudonymizer, config: { dedupWindow: 0 } })).toThrow(/connectors\.social\.dedupWindow/);
    expect(() => readChannelFile('social', 'examples/social', { pseudonymizer, config: { nope: 1 } })).toThrow(ConfigError);
    expect(() => readChannelFile('social', 'no/such/dir', { pseudonymizer })).toThrow(ConfigError);
  });

  it('reads a directory in name order, only the channel formats, and reports bytes read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-files-'));
    const line = (id: string, content: string): string => JSON.stringify({ platform: 'weibo', postId: id, publishedAt: '2024-04-10 08:12:00', content });
    writeFileSync(join(dir, 'b.jsonl'), `${line('2', '第二个文件')}\n`);
    writeFileSync(join(dir, 'a.json'), `[${line('1', '第一个文件')}]`);
    writeFileSync(join(dir, 'notes.md'), '# not a feed');
    writeFileSync(join(dir, 'c.csv'), 'platform,postId\nweibo,3\n');
    let bytes = 0;
    const out = await collect(readChannelFile('social', dir, { pseudonymizer: testPseudonymizer(), onBytes: (n) => (bytes += n) }));
    expect(out.map((o) => (o.kind === 'event' ? o.event.text : o.kind))).toEqual(['第一个文件', '第二个文件']);
    expect(bytes).toBe(statSync(join(dir, 'a.json')).size + statSync(join(dir, 'b.jsonl')).size);
  });

  it('stops with the abort reason when the signal fires', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const read = async (): Promise<void> => {
      for await (const o of readChannelFile('social', 'examples/social', { pseudonymizer: testPseudonymizer(), signal: ac.signal })) {
        seen.push(o.kind);
        ac.abort(new Error('operator stop'));
      }
    };
    await expect(read()).rejects.toThrow('operator stop');
    expect(seen).toHaveLength(1);
  });

  it('dead-letters a record larger than maxRecordBytes without parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-big-'));
    const big = JSON.stringify({ platform: 'weibo', postId: '1', publishedAt: '2024-04-10 08:12:00', content: '大'.repeat(5000) });
    writeFileSync(join(dir, 'f.jsonl'), `${big}\n{"platform":"weibo","postId":"2","publishedAt":"2024-04-10 08:12:00","content":"小"}\n`);
    const out = await collect(readChannelFile('social', dir, { pseudonymizer: testPseudonymizer(), config: { maxRecordBytes: 2048 } }));
    expect(kinds(out)).toEqual(['dead_letter:RECORD_TOO_LARGE', 'event']);
  });
});

describe('stdin', () => {
  it('reads "-" with the format sniffed and the encoding detected (a GBK CSV piped in)', () => {
    const script = `
      import { readChannelFile } from './src/connectors/registry.ts';
      import { Pseudonymizer } from './src/core/pseudonym.ts';
      const out = [];
      for await (const o of readChannelFile('dealer', '-', { pseudonymizer: new Pseudonymizer('stdin-test-key-0123456789') })) out.push(o.kind === 'event' ? o.event.text : o.kind);
      process.stdout.write(JSON.stringify(out));`;
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      input: readFileSync('examples/dealer/service-orders.csv'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as string[];
    expect(out).toHaveLength(8);
    expect(out[3]).toBe('保養後異音還在，很失望，希望原廠重視。');
  });
});
