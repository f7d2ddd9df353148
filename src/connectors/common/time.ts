import { z } from 'zod';

/** "+08:00": Asia/Shanghai, Taipei and Hong Kong have no daylight saving, so a fixed offset is exact. */
export const OffsetSchema = z
  .string()
  .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'an offset like +08:00')
  .default('+08:00')
  .describe('UTC offset assumed for local times without one ("2024-03-12 09:15:02" from a Chinese export), and used to render timestamps.');

const LOCAL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,9}))?秒?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) return NaN;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3]));
}

/** Renders an instant as ISO 8601 in the given offset: 2024-03-12T09:15:02.000+08:00. */
export function formatWithOffset(ms: number, offset: string): string {
  const minutes = offsetMinutes(offset);
  const shifted = new Date(ms + minutes * 60_000).toISOString(); // "…Z" in local wall-clock
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted.slice(0, -1)}${sign}${hh}:${mm}`;
}

/**
 * Parses the timestamps Chinese exports use into epoch milliseconds: epoch ms or s (number or
 * digits; WeCom msgtime is ms), ISO 8601 with or without offset, "YYYY-MM-DD HH:mm[:ss]",
 * "YYYY/MM/DD …" and "YYYY年MM月DD日 HH:mm". A local time without offset is read in `offset`.
 * Returns null for anything else, including impossible dates (2024-02-30).
 */
export function parseTimestamp(value: unknown, offset: string): number | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{9,13}$/.test(s)) return fromEpoch(Number(s));
  const m = LOCAL.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', off] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)] as const;
  const [Y, M, D, H, Mi, S] = parts;
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 59) return null;
  const wall = Date.UTC(Y, M - 1, D, H, Mi, S, Number(frac.slice(0, 3).padEnd(3, '0')));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== Y || check.getUTCMonth() !== M - 1 || check.getUTCDate() !== D) return null;
  const minutes = offsetMinutes(off ?? offset);
  if (Number.isNaN(minutes)) return null;
  const ms = wall - minutes * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

function fromEpoch(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  // Below 1e11 it is seconds (1e11 s is the year 5138); above, milliseconds.
  const ms = n < 1e11 ? n * 1000 : n;
  return ms < 8.64e15 ? Math.floor(ms) : null;
}

/** parseTimestamp + formatWithOffset; years outside 1970–2100 are refused as implausible. */
export function toIsoTimestamp(value: unknown, offset: string): string | null {
  const ms = parseTimestamp(value, offset);
  if (ms === null) return null;
  const year = new Date(ms).getUTCFullYear();
  if (year < 1970 || year > 2100) return null;
  return formatWithOffset(ms, offset);
}
