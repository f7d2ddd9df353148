import type { QueryFormat } from '../sinks/sink.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'tsv';

/** `voc sql --format`: table on a TTY, else TSV (no header) for scripts. */
export function resolveFormat(requested: string | undefined, isTty: boolean): OutputFormat {
  if (requested === undefined) return isTty ? 'table' : 'tsv';
  if (['table', 'json', 'csv', 'tsv'].includes(requested)) return requested as OutputFormat;
  throw new Error(`--format: expected table, json, csv or tsv, got ${requested}`);
}

export const STORE_FORMAT: Record<OutputFormat, QueryFormat> = {
  table: 'PrettyCompact',
  json: 'JSONEachRow',
  csv: 'CSVWithNames',
  tsv: 'TSV',
};
