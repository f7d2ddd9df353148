import iconv from 'iconv-lite';
import type { FileEncoding } from '../common/config.js';

export type DetectedEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';

/** How many leading bytes decide the encoding. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Picks the encoding of a file from its first bytes: a BOM says it (UTF-8, UTF-16, GB18030);
 * otherwise bytes that decode as strict UTF-8 are UTF-8, and anything else is GB18030 — the
 * superset of GBK and GB2312 that Chinese enterprise systems (and Excel on a Chinese Windows)
 * export CSV in. `complete` tells whether `head` is the whole file (else a multi-byte character
 * cut at the end of the window is not an error).
 */
export function detectEncoding(head: Uint8Array, complete: boolean): DetectedEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  if (head.length >= 4 && head[0] === 0x84 && head[1] === 0x31 && head[2] === 0x95 && head[3] === 0x33) return 'gb18030';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Decodes a byte stream into text chunks in bounded memory: buffers only the sniffing window,
 * then decodes chunk by chunk (a multi-byte character split between chunks is carried over by
 * the decoder). A leading BOM is dropped. `onBytes` is called with each chunk's raw byte count.
 */
export async function* decodeChunks(
  source: AsyncIterable<Buffer | string>,
  encoding: FileEncoding,
  onBytes?: (n: number) => void,
): AsyncGenerator<string> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let decoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
  let first = true;

  const emit = (s: string): string => {
    if (first && s.length > 0) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) return s.slice(1);
    }
    return s;
  };

  const start = (complete: boolean): { write(b: Buffer): string; end(): string | undefined } => {
    const all = Buffer.concat(head);
    const enc = encoding === 'auto' ? detectEncoding(all, complete) : encoding;
    return iconv.getDecoder(enc, { stripBOM: false });
  };

  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    onBytes?.(buf.length);
    if (decoder === undefined) {
      head.push(buf);
      headBytes += buf.length;
      if (headBytes < SNIFF_BYTES) continue;
      decoder = start(false);
      const s = emit(decoder.write(Buffer.concat(head)));
      head.length = 0;
      if (s) yield s;
      continue;
    }
    const s = emit(decoder.write(buf));
    if (s) yield s;
  }
  decoder ??= start(true);
  if (head.length > 0) {
    const s = emit(decoder.write(Buffer.concat(head)));
    if (s) yield s;
  }
  const tail = decoder.end();
  if (tail) yield emit(tail);
}
