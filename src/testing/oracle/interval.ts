/** ISO-8601 `start/end` intervals as the analytics API takes them. */
import { badRequest } from '../engine/http';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of an ISO date-time; a value without a zone is read as UTC (choice: the platform's handling is undocumented). */
export function parseDateTime(s: string): number | undefined {
  const m = DATE_TIME.exec(s.trim());
  if (!m) return undefined;
  const [, date, hm = '00:00', sec = '00', frac = '', zone = 'Z'] = m;
  const ms = frac.padEnd(3, '0').slice(0, 3);
  const z = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${date}T${hm}:${sec}.${ms}${z}`);
  return Number.isFinite(t) ? t : undefined;
}

export interface Interval {
  start: number;
  end: number;
}

export function parseInterval(raw: unknown, field = 'interval'): Interval {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest(`${field} is required: an ISO-8601 'start/end' string.`, field);
  const parts = raw.split('/');
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined) {
    throw badRequest(`${field} '${raw}' is not an ISO-8601 interval of the form start/end.`, field);
  }
  const start = parseDateTime(a);
  const end = parseDateTime(b);
  if (start === undefined || end === undefined) throw badRequest(`${field} '${raw}' has a malformed date-time.`, field);
  if (end <= start) throw badRequest(`${field} '${raw}' must end after it starts.`, field);
  return { start, end };
}
