/**
 * Streaming splitters for JSON input: text chunks in, one raw record text at a time out, with
 * the line it starts on. Memory is bounded by the largest record (capped by maxChars): a 2 GB
 * JSON array is never held whole.
 */
export type SplitItem =
  | { kind: 'record'; text: string; line: number }
  | { kind: 'too_large'; chars: number; line: number }
  | { kind: 'syntax'; reason: string; line: number; text: string };

/** JSON Lines: one value per line; blank lines are not records. */
export async function* splitJsonLines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<SplitItem> {
  let parts: string[] = [];
  let partChars = 0;
  let oversized = 0;
  let line = 1;
  const finish = function* (): Generator<SplitItem> {
    const lineNo = line;
    if (oversized > 0) yield { kind: 'too_large', chars: oversized, line: lineNo };
    else {
      const text = parts.join('').replace(/\r$/, '');
      if (text.trim() !== '') yield { kind: 'record', text, line: lineNo };
    }
    parts = [];
    partChars = 0;
    oversized = 0;
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      const piece = nl === -1 ? chunk.slice(from) : chunk.slice(from, nl);
      if (oversized > 0) oversized += piece.length;
      else if (partChars + piece.length > maxChars) {
        oversized = partChars + piece.length;
        parts = [];
        partChars = 0;
      } else {
        parts.push(piece);
        partChars += piece.length;
      }
      if (nl === -1) break;
      yield* finish();
      line += 1;
      from = nl + 1;
    }
  }
  yield* finish();
}

/**
 * A JSON document: a top-level array yields its elements; otherwise each top-level value (one
 * object, or several objects one after another) is a record. Strings and escapes are tracked so
 * that brackets inside text do not count. Text outside any value that is not JSON (junk, a
 * truncated value) becomes a `syntax` item; the rest of the file goes on.
 */
export async function* splitJsonDocument(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<SplitItem> {
  let mode: 'start' | 'array' | 'values' | 'done' = 'start';
  let depth = 0; // nesting depth inside the current record
  let inRecord = false;
  let inString = false;
  let escape = false;
  let scalar = false; // a number/literal/string record at the top level of an array
  let junk = false; // non-JSON text between values
  let parts: string[] = [];
  let chars = 0;
  let oversized = false;
  let recordLine = 1;
  let line = 1;

  const begin = (l: number): void => {
    inRecord = true;
    parts = [];
    chars = 0;
    oversized = false;
    recordLine = l;
  };
  const take = (chunk: string, from: number, to: number): void => {
    if (oversized || to <= from) return;
    chars += to - from;
    if (chars > maxChars) {
      oversized = true;
      parts = [];
    } else parts.push(chunk.slice(from, to));
  };
  const end = (): SplitItem => {
    inRecord = false;
    const item: SplitItem = oversized
      ? { kind: 'too_large', chars, line: recordLine }
      : junk
        ? { kind: 'syntax', reason: 'Text outside any JSON value (expected an array, or objects).', line: recordLine, text: parts.join('') }
        : { kind: 'record', text: parts.join(''), line: recordLine };
    parts = [];
    junk = false;
    scalar = false;
    return item;
  };

  for await (const chunk of chunks) {
    let segStart = inRecord ? 0 : -1;
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line += 1;
      if (inRecord) {
        if (junk) {
          if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
            take(chunk, segStart, i);
            yield end();
            i -= 1; // re-read the bracket as the start of a record
            segStart = -1;
          }
          continue;
        }
        if (inString) {
          if (escape) escape = false;
          else if (c === 0x5c) escape = true;
          else if (c === 0x22) {
            inString = false;
            if (scalar && depth === 0) {
              take(chunk, segStart, i + 1);
              yield end();
              segStart = -1;
            }
          }
          continue;
        }
        if (scalar && depth === 0) {
          // a number or literal ends at a separator
          if (c === 0x2c || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
            take(chunk, segStart, i);
            yield end();
            segStart = -1;
            if (c === 0x5d) mode = 'done';
          }
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth += 1;
        else if (c === 0x7d || c === 0x5d) {
          depth -= 1;
          if (depth === 0) {
            take(chunk, segStart, i + 1);
            yield end();
            segStart = -1;
          }
        }
        continue;
      }
      // between records
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
      if (mode === 'done' && (c === 0x5b || c === 0x7b)) mode = 'start'; // another document follows
      if (mode === 'start') {
        if (c === 0x5b) {
          mode = 'array';
          continue;
        }
        mode = 'values';
      }
      if (mode === 'array' && c === 0x2c) continue;
      if (mode === 'array' && c === 0x5d) {
        mode = 'done';
        continue;
      }
      begin(line);
      segStart = i;
      if (mode === 'done' || (mode === 'values' && c !== 0x7b && c !== 0x5b)) {
        junk = true;
      } else if (c === 0x7b || c === 0x5b) {
        depth = 1;
      } else {
        scalar = true;
        depth = 0;
        if (c === 0x22) inString = true;
      }
    }
    if (inRecord && segStart !== -1) take(chunk, segStart, chunk.length);
  }
  if (inRecord) {
    if (junk || (scalar && !inString)) yield end();
    else {
      const item = end();
      yield { kind: 'syntax', reason: 'The file ends inside a JSON value (truncated export?).', line: item.line, text: item.kind === 'too_large' ? '' : item.text };
    }
  }
}
