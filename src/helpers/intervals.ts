/**
 * Half-open UTC intervals `[start, end)` as the analytics API takes them (`start/end` ISO-8601).
 *
 * Everything here works on epoch milliseconds in UTC, so a daylight-saving change can neither shorten a chunk nor
 * create a gap. Accepted and produced formats are described in docs/intervals.md.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { checkIntegerOption, checkOptionsObject, kindOf, quote, throwIfIssues } from './input-guard';

/** A validated interval: `start` inclusive, `end` exclusive, `end > start`. */
export interface ParsedInterval {
  start: Date;
  end: Date;
  startMs: number;
  endMs: number;
}

/** One window of a split interval, with its ISO string ready for a request body. */
export interface IntervalWindow {
  startMs: number;
  endMs: number;
  interval: string;
}

/** What `parseInterval` accepts: `start/end`, `start/duration`, `duration/end`, or the two ends. */
export type IntervalInput = string | { start: Date | string | number; end: Date | string | number };

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/**
 * The instants a JavaScript Date can hold: +-8.64e15 ms (+-100,000,000 days) around 1970 (ECMA-262 21.4.1.1).
 * Every instant and every end of an interval is checked against it at parse, so nothing downstream meets a
 * `RangeError: Invalid time value`.
 */
export const MAX_EPOCH_MS = 8.64e15;

/**
 * Longest text accepted for an instant, a duration or an interval. The longest meaningful forms are around 40
 * characters (`2024-05-13T10:00:00.123456789+02:00/P1DT12H30M15.5S`); anything much longer is not one of them,
 * and refusing it first keeps every check linear and every message short.
 */
const MAX_TEXT = 200;

function representable(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS;
}

/** A safety net against `splitInterval(tenYears, 'PT1S')` building an array of 300M windows by mistake. */
export const DEFAULT_MAX_WINDOWS = 100_000;

function invalid(path: string, message: string, code: string, what = 'interval'): ValidationError {
  return new ValidationError(what, [{ path, message, code }]);
}

// Date.parse is lenient (2024-02-30 becomes March 1, a time without offset is read as *local* time), so the
// grammar is checked here and every component range-checked.
// Years are 4 digits, or 6 with a sign (ISO 8601 expanded years, as Date#toISOString writes them past 9999).
const INSTANT =
  /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

// Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/**
 * Parses one ISO-8601 instant to epoch ms. A date alone means UTC midnight; a date-time must carry `Z` or an
 * offset, because without one the meaning depends on the machine's time zone. Fractions beyond ms are truncated.
 */
export function parseInstant(value: string, where = 'instant'): number {
  return instantMs(value, where, 'date-time');
}

function instantMs(raw: string, where: string, what: string): number {
  if (typeof raw !== 'string') throw invalid(where, `expected an ISO-8601 date-time string, got ${kindOf(raw)}`, 'invalid_type', what);
  const m = raw.length > MAX_TEXT ? null : INSTANT.exec(raw.trim());
  if (!m) {
    throw invalid(where, `${quote(raw)} is not an ISO-8601 date-time (expected e.g. 2024-05-13T00:00:00Z)`, 'invalid_date', what);
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (h !== undefined && zone === undefined) {
    throw invalid(
      where,
      `${quote(raw)} has no time zone: add "Z" for UTC or an offset such as +02:00`,
      'missing_time_zone',
      what,
    );
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalid(where, `${quote(raw)} is not a calendar date`, 'invalid_date', what);
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw invalid(where, `${quote(raw)} has an out-of-range time`, 'invalid_date', what);
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let offsetMs = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) throw invalid(where, `${quote(raw)} has an out-of-range UTC offset`, 'invalid_date', what);
    offsetMs = sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
  }
  const ms = utcMs(year, month, day, hour, minute, second, millis) - offsetMs;
  if (!representable(ms)) throw invalid(where, `${quote(raw)} is out of the representable date range`, 'invalid_date', what);
  return ms;
}

const DURATION = /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;
const CALENDAR_DURATION = /^P(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?[WD])?(?:T.*)?$/i;

function num(part: string | undefined): number {
  return part === undefined ? 0 : Number(part.replace(',', '.'));
}

/**
 * ISO-8601 duration to milliseconds: weeks, days, hours, minutes, seconds (`PT6H`, `P1D`, `PT30M`, `P7D`,
 * `P1DT12H`, `PT0.5S`). A day is 24 h: intervals are UTC, which has no DST. Years and months are refused because
 * their length depends on where they start; use days or an explicit `start/end`.
 */
export function parseDuration(iso: string, where = 'duration'): number {
  return durationMs(iso, where, 'duration');
}

function durationMs(raw: string, where: string, what: string): number {
  if (typeof raw !== 'string') throw invalid(where, `expected an ISO-8601 duration string, got ${kindOf(raw)}`, 'invalid_type', what);
  const text = raw.length > MAX_TEXT ? '' : raw.trim();
  const m = DURATION.exec(text);
  if (!m || text.length < 3 || /T$/i.test(text)) {
    if (/^P/i.test(text) && CALENDAR_DURATION.test(text) && /^P[^T]*[YM]/i.test(text)) {
      throw invalid(
        where,
        `${quote(raw)} uses calendar years or months, which have no fixed length: use days (e.g. P30D) or an explicit start/end`,
        'calendar_duration',
        what,
      );
    }
    throw invalid(where, `${quote(raw)} is not an ISO-8601 duration (expected e.g. PT6H, P1D, PT30M)`, 'invalid_duration', what);
  }
  const [, w, d, h, mi, s] = m;
  const ms =
    num(w) * 7 * MS_PER_DAY + num(d) * MS_PER_DAY + num(h) * MS_PER_HOUR + num(mi) * MS_PER_MINUTE + num(s) * MS_PER_SECOND;
  // The widest interval a Date can express spans 2 * MAX_EPOCH_MS; anything longer (P999999999D, or a digit
  // run that overflows to Infinity) cannot be the length of a real interval.
  if (!(Math.round(ms) <= 2 * MAX_EPOCH_MS)) {
    throw invalid(where, `${quote(raw)} is longer than any interval a date can express (at most 200,000,000 days)`, 'out_of_range', what);
  }
  return Math.round(ms);
}

function isDurationText(part: string): boolean {
  return /^P/i.test(part.trim());
}

function instantOf(value: Date | string | number, where: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalid(where, 'is an invalid Date', 'invalid_date');
    return ms;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw invalid(where, `${value} is not a whole epoch-millisecond time`, 'invalid_date');
    if (!representable(value)) {
      throw invalid(where, `${value} is outside the dates JavaScript can represent (at most ${MAX_EPOCH_MS} ms from 1970)`, 'out_of_range');
    }
    return value;
  }
  if (typeof value === 'string') return instantMs(value, where, 'interval');
  throw invalid(where, `expected a Date, an ISO-8601 string or epoch ms, got ${kindOf(value)}`, 'invalid_type');
}

/** An end computed as instant +- duration must still be a date. */
function computedEnd(ms: number, where: string, interval: string): number {
  if (representable(ms)) return ms;
  throw invalid(where, `${quote(interval)} reaches past the dates JavaScript can represent (years -271821 to 275760)`, 'out_of_range');
}

function resolve(interval: IntervalInput, where: string): { startMs: number; endMs: number } {
  if (typeof interval === 'string') {
    const parts = interval.length > 2 * MAX_TEXT + 1 ? [] : interval.split('/');
    if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined || !parts[0].trim() || !parts[1].trim()) {
      throw invalid(
        where,
        `${quote(interval)} is not an ISO-8601 interval: expected start/end, start/duration or duration/end`,
        'invalid_interval',
      );
    }
    const [a, b] = parts as [string, string];
    if (isDurationText(a) && isDurationText(b)) {
      throw invalid(where, `${quote(interval)} has two durations and no anchor: one side must be a date-time`, 'invalid_interval');
    }
    if (isDurationText(b)) {
      const startMs = instantMs(a, where, 'interval');
      return { startMs, endMs: computedEnd(startMs + durationMs(b, where, 'interval'), where, interval) };
    }
    if (isDurationText(a)) {
      const endMs = instantMs(b, where, 'interval');
      return { startMs: computedEnd(endMs - durationMs(a, where, 'interval'), where, interval), endMs };
    }
    return { startMs: instantMs(a, where, 'interval'), endMs: instantMs(b, where, 'interval') };
  }
  if (interval === null || typeof interval !== 'object' || Array.isArray(interval)) {
    throw invalid(where, `expected an ISO-8601 interval string or { start, end }, got ${kindOf(interval)}`, 'invalid_type');
  }
  return { startMs: instantOf(interval.start, `${where}.start`), endMs: instantOf(interval.end, `${where}.end`) };
}

/**
 * Validates an interval and returns both ends as Dates and epoch ms. Throws `ValidationError` (issue path
 * `where`) for a malformed string, an invalid date, or `end <= start`.
 */
export function parseInterval(interval: IntervalInput, where = 'interval'): ParsedInterval {
  if (typeof where !== 'string') where = 'interval';
  const { startMs, endMs } = resolve(interval, where);
  if (!(endMs > startMs)) {
    throw invalid(
      where,
      `the end (${formatInstant(endMs)}) must be after the start (${formatInstant(startMs)}): intervals are half-open [start, end)`,
      'empty_interval',
    );
  }
  return { start: new Date(startMs), end: new Date(endMs), startMs, endMs };
}

/** `2024-05-13T00:00:00Z`, or `2024-05-13T00:00:00.250Z` when the instant has milliseconds. */
export function formatInstant(ms: number): string {
  if (typeof ms !== 'number' || !representable(ms)) {
    throw invalid('ms', `expected epoch milliseconds within +-${MAX_EPOCH_MS}, got ${kindOf(ms)} ${quote(ms)}`, typeof ms === 'number' ? 'out_of_range' : 'invalid_type', 'instant');
  }
  const iso = new Date(ms).toISOString();
  // expanded years (+275760-…, -000001-…) are longer than 4 digits: cut the fraction, not a fixed width
  return ms % MS_PER_SECOND === 0 ? iso.replace(/\.000Z$/, 'Z') : iso;
}

/**
 * `start/end` in UTC. Each end drops `.000` when it falls on a whole second (the platform accepts both forms, and
 * whole-second boundaries read better in logs and checkpoints); sub-second ends keep their milliseconds.
 */
export function formatInterval(startMs: number, endMs: number): string {
  if (typeof startMs !== 'number' || !representable(startMs)) {
    throw invalid('startMs', `expected epoch milliseconds within +-${MAX_EPOCH_MS}, got ${kindOf(startMs)} ${quote(startMs)}`, 'out_of_range');
  }
  if (typeof endMs !== 'number' || !representable(endMs)) {
    throw invalid('endMs', `expected epoch milliseconds within +-${MAX_EPOCH_MS}, got ${kindOf(endMs)} ${quote(endMs)}`, 'out_of_range');
  }
  if (!(endMs > startMs)) {
    throw invalid('interval', `cannot format [${startMs}, ${endMs}): need finite epoch ms with end > start`, 'empty_interval');
  }
  return `${formatInstant(startMs)}/${formatInstant(endMs)}`;
}

function chunkMs(chunk: string | number, where: string): number {
  if (typeof chunk !== 'number' && typeof chunk !== 'string') {
    throw invalid(where, `must be an ISO-8601 duration or whole ms, got ${kindOf(chunk)} ${quote(chunk)}`, 'invalid_type', 'chunk size');
  }
  const ms = typeof chunk === 'number' ? chunk : durationMs(chunk, where, 'chunk size');
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw invalid(where, `must be a positive duration (ISO-8601 or whole ms), got ${quote(chunk)}`, 'invalid_chunk', 'chunk size');
  }
  return ms;
}

function checkSplitOptions(options: unknown): SplitOptions {
  const issues: ValidationIssue[] = [];
  const o = checkOptionsObject(options, ['maxWindows'], issues);
  if (o) checkIntegerOption(o.maxWindows, 1, Number.MAX_SAFE_INTEGER, 'maxWindows', issues);
  throwIfIssues('splitInterval options', issues);
  return (o ?? {}) as SplitOptions;
}

export interface SplitOptions {
  /** Refuse splits that would produce more windows than this. Default 100,000. */
  maxWindows?: number;
}

/**
 * Cuts an interval into consecutive half-open windows of `chunk` (an ISO duration or ms), starting at the
 * interval's start. Windows touch without gap or overlap; the last one is clipped to the interval's end.
 */
export function splitIntervalWindows(
  interval: IntervalInput,
  chunk: string | number,
  options: SplitOptions = {},
): IntervalWindow[] {
  const opts = checkSplitOptions(options);
  const { startMs, endMs } = parseInterval(interval);
  const size = chunkMs(chunk, 'chunk');
  const max = opts.maxWindows ?? DEFAULT_MAX_WINDOWS;
  const count = Math.ceil((endMs - startMs) / size);
  if (count > max) {
    throw invalid(
      'chunk',
      `splitting ${formatInterval(startMs, endMs)} by ${quote(chunk)} gives ${count} windows (more than ${max}): ` +
        'use a larger chunk or raise maxWindows',
      'too_many_windows',
      'chunk size',
    );
  }
  const windows: IntervalWindow[] = [];
  for (let s = startMs; s < endMs; s += size) {
    const e = Math.min(s + size, endMs);
    windows.push({ startMs: s, endMs: e, interval: formatInterval(s, e) });
  }
  return windows;
}

/** Same as `splitIntervalWindows`, as the ISO strings a query body takes: `splitInterval(day, 'PT6H')` gives 4. */
export function splitInterval(interval: IntervalInput, chunk: string | number, options: SplitOptions = {}): string[] {
  return splitIntervalWindows(interval, chunk, options).map((w) => w.interval);
}

/**
 * Splits an interval in two halves (used when a job fails and is retried narrower). The midpoint is moved down
 * to a whole second when that keeps both halves non-empty, so the halves stay readable. Throws when the interval
 * is a single millisecond and cannot be split.
 */
export function halveInterval(interval: IntervalInput): [string, string] {
  const { startMs, endMs } = parseInterval(interval);
  if (endMs - startMs < 2) {
    throw invalid('interval', `${formatInterval(startMs, endMs)} is 1 ms long and cannot be split further`, 'unsplittable');
  }
  let mid = startMs + Math.floor((endMs - startMs) / 2);
  const rounded = Math.floor(mid / MS_PER_SECOND) * MS_PER_SECOND;
  if (rounded > startMs) mid = rounded;
  return [formatInterval(startMs, mid), formatInterval(mid, endMs)];
}

/** The last complete UTC day before `now`: `2024-05-13T00:00:00Z/2024-05-14T00:00:00Z` when now is any time on 05-14. */
export function lastFullUtcDay(now: Date = new Date()): string {
  if (Object.prototype.toString.call(now) !== '[object Date]') {
    throw invalid('now', `expected a Date, got ${kindOf(now)} ${quote(now)}`, 'invalid_type');
  }
  const ms = Date.prototype.getTime.call(now);
  if (Number.isNaN(ms)) throw invalid('now', 'is an invalid Date', 'invalid_date');
  const todayStart = Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
  if (!representable(todayStart - MS_PER_DAY)) throw invalid('now', `${quote(ms)} has no full day before it that a Date can represent`, 'out_of_range');
  return formatInterval(todayStart - MS_PER_DAY, todayStart);
}

/** Length of an interval in ms. */
export function intervalLengthMs(interval: IntervalInput): number {
  const { startMs, endMs } = parseInterval(interval);
  return endMs - startMs;
}
