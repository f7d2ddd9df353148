import { createReadStream, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError } from '../core/errors.js';

/** Files to replay: a file, every matching file of a directory (sorted, not recursive), or '-' for stdin. */
export function listInputFiles(input: string, extensions: string[]): string[] {
  if (input === '-') return ['-'];
  let stat;
  try {
    stat = statSync(input);
  } catch (err) {
    throw new ConfigError(`Input ${input} does not exist.`, { code: 'INPUT_MISSING', cause: err });
  }
  if (stat.isFile()) return [input];
  const files = readdirSync(input)
    .filter((f) => extensions.some((ext) => f.toLowerCase().endsWith(ext)))
    .sort()
    .map((f) => join(input, f));
  if (files.length === 0) throw new ConfigError(`Input directory ${input} holds no ${extensions.join('/')} files.`, { code: 'INPUT_EMPTY' });
  return files;
}

export function inputBytes(files: string[]): number | undefined {
  if (files.includes('-')) return undefined;
  return files.reduce((n, f) => n + statSync(f).size, 0);
}

/** Streams lines with their 1-based numbers; bounded memory whatever the file size. */
export async function* readLines(file: string): AsyncGenerator<{ line: string; lineNo: number; bytes: number }> {
  const stream = file === '-' ? process.stdin : createReadStream(file);
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    yield { line, lineNo, bytes: Buffer.byteLength(raw) + 1 };
  }
}
