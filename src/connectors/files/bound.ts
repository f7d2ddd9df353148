import type { ParseOutcome } from '../connector.js';
import type { FileEncoding } from '../common/config.js';
import { ConnectionError } from '../../core/errors.js';
import type { Channel } from '../../core/feedback-event.js';
import { readRecords, type FileFormat, type RecordParsers } from './read-records.js';

/** Settings every connector config has (see common/config.ts). */
export interface CommonConnectorConfig {
  paths: string[];
  encoding: FileEncoding;
  timezoneOffset: string;
  maxRecordBytes: number;
  batchSize: number;
}

/** The channel's parsing cores bound to one parse context (one config, one duplicate memory). */
export interface BoundParsers extends RecordParsers {
  channel: Channel;
  config: CommonConnectorConfig;
  /** Builds a dead letter in this context (for failures before a record reaches a parser). */
  deadLetter: (input: { source: string; position: string; code: string; reason: string; raw: unknown; stage?: 'read' | 'parse' | 'validate' }) => ParseOutcome;
}

export interface ReadBoundOptions {
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
  format?: FileFormat;
  encoding?: FileEncoding;
}

/** Reads files with already bound parsers (the FileConnector uses this too). */
export async function* readBound(
  bound: BoundParsers,
  files: string[],
  formats: readonly FileFormat[],
  opts: ReadBoundOptions,
): AsyncGenerator<ParseOutcome> {
  for (const file of files) {
    opts.signal?.throwIfAborted();
    try {
      yield* readRecords(
        file,
        bound,
        {
          encoding: opts.encoding ?? bound.config.encoding,
          maxRecordChars: bound.config.maxRecordBytes,
          onBytes: opts.onBytes,
          signal: opts.signal,
          deadLetter: bound.deadLetter,
          sourceLabel: `${bound.channel}.file`,
        },
        opts.format,
      );
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw new ConnectionError(`Cannot read ${file} (${formats.join('/')}).`, { code: 'INPUT_READ_FAILED', retriable: false, cause: err });
    }
  }
}

