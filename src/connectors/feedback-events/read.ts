import { listInputFiles, readLines } from '../../runner/input-files.js';
import type { ParseOutcome } from '../connector.js';
import { parseFeedbackEventLine } from './parse.js';

/** Canonical FeedbackEvent JSONL files (one event per line); blank lines are ignored. */
export async function* readFeedbackEventFiles(input: string, onBytes?: (n: number) => void): AsyncGenerator<ParseOutcome> {
  for (const file of listInputFiles(input, ['.jsonl', '.ndjson'])) {
    for await (const { line, lineNo, bytes } of readLines(file)) {
      onBytes?.(bytes);
      if (line.trim() === '') continue;
      yield parseFeedbackEventLine(line, `${file === '-' ? 'stdin' : file}:${lineNo}`);
    }
  }
}
