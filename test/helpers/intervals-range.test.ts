/**
 * Issue 18, out-of-range time: intervals past the JavaScript Date range were accepted and exploded later as
 * `RangeError: Invalid time value` (one run sent a POST with such an interval); `parseDuration` could return
 * Infinity; `lastFullUtcDay('x')` and `formatInstant(NaN)` threw TypeError/RangeError. All are now
 * ValidationErrors at parse, naming the path.
 */
import { describe, expect, it } from 'vitest';
import { formatInstant, formatInterval, halveInterval, intervalLengthMs, lastFullUtcDay, parseDuration, parseInterval, splitInterval } from '@org/gc-data/intervals';
import { expectIssueAt } from './expect-validation';

const MAX = 8.64e15;

describe('instants and durations past the Date range are refused at parse', () => {
  it('start + a huge duration', () => {
    expectIssueAt(() => parseInterval('2026-01-01/P999999999D'), 'interval', 'out_of_range');
    expectIssueAt(() => parseInterval('2026-01-01T00:00:00Z/PT99999999999999H'), 'interval', 'out_of_range');
    expectIssueAt(() => splitInterval('2026-01-01/P999999999D', 'P1D'), 'interval', 'out_of_range');
    expectIssueAt(() => halveInterval('2026-01-01/P999999999D'), 'interval', 'out_of_range');
  });

  it('a huge duration before an end', () => {
    expectIssueAt(() => parseInterval('P999999999D/2026-01-01'), 'interval', 'out_of_range');
  });

  it('the path given by the caller is the one named', () => {
    expectIssueAt(() => parseInterval('2026-01-01/P999999999D', 'query.interval'), 'query.interval', 'out_of_range');
  });

  it('a duration that overflows to Infinity is an error, not Infinity', () => {
    // 190 digits of days is 8.64e197 ms (before the fix: accepted, and 310+ digits gave Infinity)
    const issue = expectIssueAt(() => parseDuration(`P${'9'.repeat(190)}D`), 'duration', 'out_of_range');
    expectIssueAt(() => parseDuration(`P${'9'.repeat(400)}D`), 'duration', 'invalid_duration');
    expect(issue.message.length).toBeLessThan(300);
    expectIssueAt(() => parseDuration('PT1e400S'), 'duration');
    expect(parseDuration('P100000000D')).toBe(100_000_000 * 86_400_000);
  });

  it('epoch values past the Date range, at start or end', () => {
    expectIssueAt(() => parseInterval({ start: MAX + 1, end: MAX + 2 }), 'interval.start', 'out_of_range');
    expectIssueAt(() => parseInterval({ start: 0, end: Number.MAX_SAFE_INTEGER }), 'interval.end', 'out_of_range');
    expectIssueAt(() => intervalLengthMs({ start: -MAX - 1, end: 0 }), 'interval.start', 'out_of_range');
    expect(parseInterval({ start: -MAX, end: MAX }).endMs).toBe(MAX);
  });

  it('formatInstant and formatInterval refuse what a Date cannot hold', () => {
    expectIssueAt(() => formatInstant(Number.NaN), 'ms');
    expectIssueAt(() => formatInstant(MAX + 1), 'ms', 'out_of_range');
    expectIssueAt(() => formatInstant('2024' as unknown as number), 'ms', 'invalid_type');
    expectIssueAt(() => formatInterval(0, 1e20), 'endMs', 'out_of_range');
    expectIssueAt(() => formatInterval(Number.NaN, 1), 'startMs', 'out_of_range');
    expect(formatInstant(MAX)).toBe('+275760-09-13T00:00:00Z');
  });

  it('lastFullUtcDay refuses a non-Date and a Date with no full day before it', () => {
    expectIssueAt(() => lastFullUtcDay('x' as unknown as Date), 'now', 'invalid_type');
    expectIssueAt(() => lastFullUtcDay({ getTime: () => 0 } as unknown as Date), 'now', 'invalid_type');
    expectIssueAt(() => lastFullUtcDay(new Date(-MAX)), 'now', 'out_of_range');
    expect(lastFullUtcDay(new Date('2024-05-14T12:00:00Z'))).toBe('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
  });

  it('expanded years, as formatInterval writes them past 9999, parse back (whole-range round trip)', () => {
    const text = formatInterval(MAX - 86_400_000, MAX);
    expect(text).toBe('+275760-09-12T00:00:00Z/+275760-09-13T00:00:00Z');
    expect(parseInterval(text).endMs).toBe(MAX);
    expect(parseInterval(formatInterval(-MAX, -MAX + 1)).startMs).toBe(-MAX);
    expectIssueAt(() => parseInterval('+275760-09-13/P1D'), 'interval', 'out_of_range');
  });

  it('a huge interval string is refused quickly, quoting at most ~100 characters', () => {
    const huge = `2024-01-01/${'9'.repeat(5_000_000)}`;
    const t0 = performance.now();
    const issue = expectIssueAt(() => parseInterval(huge), 'interval', 'invalid_interval');
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(issue.message.length).toBeLessThan(300);
    expect(expectIssueAt(() => parseDuration(`P${'1'.repeat(1_000_000)}`), 'duration').message.length).toBeLessThan(300);
  });
});
