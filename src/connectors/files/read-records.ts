import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ParseOutcome } from '../connector.js';
import type { FileEncoding } from '../common/config.js';
import { DEAD_LETTER_CODES } from '../common/outcome.js';
import { csvRows } from './csv-rows.js';
import { decodeChunks } from './decode.js';
import { splitJsonDocument, splitJsonLines } from './json-split.js';

export type FileFormat = 'json' | 'jsonl' | 'csv' | 'tsv';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
};

/** A channel's parsing cores, bound to their context: JSON values and/or CSV rows. */
export interface RecordParsers {
  json?: (raw: unknown, position: string) => ParseOutcome[];
  csv?: (row: Record<string, string>, position: string) => ParseOutcome[];
}

export interface ReadFailure {
  source: string;
  position: string;
  code: string;
  reason: string;
  raw: unknown;
  stage: 'read';
}

export interface ReadRecordsOptions {
  encoding: FileEncoding;
  /** Largest record, in characters after decoding. */
  maxRecordChars: number;
  /** Called with the raw byte count of each chunk read (for a progress bar). */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
  /** Turns a file-level failure (bad JSON, a CSV row with the wrong columns) into a dead letter. */
  deadLetter: (f: ReadFailure) => ParseOutcome;
  /** `channel.format`, e.g. "hotline.csv": the dead letters' source for failures before parsing. */
  sourceLabel: string;
}

export function supportedFormats(parsers: RecordParsers): FileFormat[] {
  const out: FileFormat[] = [];
  if (parsers.json) out.push('json', 'jsonl');
  if (parsers.csv) out.push('csv', 'tsv');
  return out;
}

export function formatOfPath(path: string): FileFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
}

/**
 * The files an input names: the file itself, or every file under a directory (recursively, in
 * name order, hidden files skipped) whose extension is one of `formats`.
 */
export function listChannelFiles(input: string, formats: readonly FileFormat[]): string[] {
  if (input === '-') return ['-'];
  const st = statSync(input);
  if (!st.isDirectory()) return [input];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else {
        const f = formatOfPath(p);
        if (f !== undefined && formats.includes(f)) out.push(p);
      }
    }
  };
  walk(input);
  return out;
}

/** Peeks at decoded text to tell JSON from CSV when the extension does not say (stdin, .txt). */
async function* sniffFormat(chunks: AsyncIterable<string>, parsers: RecordParsers, out: { format?: FileFormat }): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    if (out.format === undefined) {
      const t = chunk.trimStart();
      if (t === '') continue;
      const jsonLike = t.startsWith('[') || t.startsWith('{');
      out.format = jsonLike && parsers.json ? (t.startsWith('[') ? 'json' : 'jsonl') : parsers.csv ? 'csv' : 'jsonl';
    }
    yield chunk;
  }
}

/**
 * Reads one file (or "-" for stdin) into parse outcomes in bounded memory: decode (encoding
 * detection), split (JSON array / JSON Lines / CSV), then hand each record to the channel's
 * parser. Every record yields at least one outcome; file-level failures are dead letters with the
 * line, and the rest of the file goes on.
 */
export async function* readRecords(path: string, parsers: RecordParsers, opts: ReadRecordsOptions, format?: FileFormat): AsyncGenerator<ParseOutcome> {
  const name = path === '-' ? 'stdin' : path;
  const bytes: AsyncIterable<Buffer> = path === '-' ? (process.stdin as AsyncIterable<Buffer>) : createReadStream(path, { highWaterMark: 256 * 1024 });
  let text = decodeChunks(bytes, opts.encoding, opts.onBytes);
  const chosen: { format?: FileFormat } = { format: format ?? (path === '-' ? undefined : formatOfPath(path)) };
  if (chosen.format === undefined) text = sniffFormat(text, parsers, chosen);

  // The format of a sniffed input is known after its first chunk: pull that chunk first.
  const iterator = text[Symbol.asyncIterator]();
  const firstChunk = await iterator.next();
  const rest = (async function* () {
    if (!firstChunk.done) yield firstChunk.value;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield n.value;
    }
  })();
  const fmt: FileFormat = chosen.format ?? 'jsonl';
  const pos = (line: number): string => `${name}:${line}`;
  const fail = (line: number, code: string, reason: string, raw: unknown): ParseOutcome =>
    opts.deadLetter({ source: opts.sourceLabel, position: pos(line), code, reason, raw, stage: 'read' });

  if (fmt === 'csv' || fmt === 'tsv') {
    const parseRow = parsers.csv;
    if (!parseRow) {
      yield fail(0, DEAD_LETTER_CODES.unknownShape, `This channel does not read ${fmt.toUpperCase()} files.`, '');
      return;
    }
    for await (const item of csvRows(rest, { maxChars: opts.maxRecordChars, delimiter: fmt === 'tsv' ? '\t' : ',' })) {
      opts.signal?.throwIfAborted();
      if (item.kind === 'row') yield* parseRow(item.row, pos(item.line));
      else if (item.kind === 'blank') yield { kind: 'skipped', reason: 'blank_row', position: pos(item.line) };
      else yield fail(item.line, item.code === 'CSV_COLUMN_COUNT' ? DEAD_LETTER_CODES.csvColumns : DEAD_LETTER_CODES.csvSyntax, item.reason, item.raw);
    }
    return;
  }

  const parseValue = parsers.json;
  if (!parseValue) {
    yield fail(0, DEAD_LETTER_CODES.unknownShape, 'This channel does not read JSON files.', '');
    return;
  }
  const split = fmt === 'json' ? splitJsonDocument(rest, opts.maxRecordChars) : splitJsonLines(rest, opts.maxRecordChars);
  for await (const item of split) {
    opts.signal?.throwIfAborted();
    if (item.kind === 'too_large') {
      yield fail(item.line, DEAD_LETTER_CODES.tooLarge, `The record is too large: expected at most ${opts.maxRecordChars} characters, got ${item.chars}.`, `[${item.chars} characters]`);
      continue;
    }
    if (item.kind === 'syntax') {
      yield fail(item.line, DEAD_LETTER_CODES.jsonSyntax, item.reason, item.text);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (err) {
      // Only the position: engine messages differ between Node versions and may quote the record.
      const at = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
      yield fail(item.line, DEAD_LETTER_CODES.jsonSyntax, `The record is not valid JSON (${at === undefined ? 'incomplete or malformed' : `error at character ${at}`}).`, item.text);
      continue;
    }
    yield* parseValue(value, pos(item.line));
  }
}
