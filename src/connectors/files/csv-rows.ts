import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

export type CsvItem =
  | { kind: 'row'; row: Record<string, string>; line: number; raw: string[] }
  | { kind: 'blank'; line: number }
  | { kind: 'error'; code: string; reason: string; line: number; raw: string };

/**
 * Streams CSV rows as header → value objects. The first row is the header (trimmed). A row whose
 * column count differs from the header's, or that the CSV grammar refuses (an unclosed quote, a
 * row over maxChars), becomes an `error` item with its line; parsing goes on with the next row.
 */
export async function* csvRows(chunks: AsyncIterable<string>, opts: { maxChars: number; delimiter?: string }): AsyncGenerator<CsvItem> {
  // A refused row is pushed into the parser's own output, so that it keeps its place among the rows.
  const parser = parse({
    bom: true,
    delimiter: opts.delimiter ?? ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: opts.maxChars,
    skip_records_with_error: true,
    info: true,
    raw: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const lines = err && typeof (err as { lines?: unknown }).lines === 'number' ? (err as unknown as { lines: number }).lines : 0;
      const skip: CsvItem = { kind: 'error', code: 'CSV_SYNTAX', reason: `The CSV row cannot be parsed (${err?.code ?? 'unknown error'}).`, line: lines, raw: raw ?? '' };
      parser.push({ skip });
      return undefined;
    },
  });
  const input = Readable.from(chunks, { objectMode: false });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  let header: string[] | undefined;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw?: string } | { skip: CsvItem }>) {
    if ('skip' in item) {
      yield item.skip;
      continue;
    }
    const { record } = item;
    // info.lines is the record's last line; a quoted field may span lines, so count back to its first.
    const spanned = (item.raw ?? '').replace(/\r?\n$/, '').split('\n').length - 1;
    const info = { lines: Math.max(1, item.info.lines - spanned) };
    if (header === undefined) {
      header = record.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      continue;
    }
    if (record.every((v) => v.trim() === '')) {
      yield { kind: 'blank', line: info.lines };
      continue;
    }
    if (record.length !== header.length) {
      yield {
        kind: 'error',
        code: 'CSV_COLUMN_COUNT',
        reason: `The CSV row has ${record.length} columns: expected ${header.length} as in the header.`,
        line: info.lines,
        raw: record.join(','),
      };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      if (h !== '' && !(h in row)) row[h] = record[i] ?? '';
    });
    yield { kind: 'row', row, line: info.lines, raw: record };
  }
}
