import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { parseInstant, parseInterval } from '@org/gc-data/intervals';

const DAY_START = Date.UTC(2024, 4, 13);
const DAY_END = Date.UTC(2024, 4, 14);

function issueOf(fn: () => unknown): { path: string; code?: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const issue = (err as ValidationError).issues[0];
    if (!issue) throw new Error('no issue');
    return issue;
  }
  throw new Error('expected a ValidationError');
}

describe('parseInterval', () => {
  it('parses start/end in UTC', () => {
    const p = parseInterval('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
    expect(p.startMs).toBe(DAY_START);
    expect(p.endMs).toBe(DAY_END);
    expect(p.start).toEqual(new Date(DAY_START));
    expect(p.end).toEqual(new Date(DAY_END));
  });

  it('applies offsets', () => {
    const p = parseInterval('2024-05-13T02:00:00+02:00/2024-05-14T00:00:00.000Z');
    expect(p.startMs).toBe(DAY_START);
    expect(parseInterval('2024-05-12T19:30:00-0430/2024-05-14T00:00:00Z').startMs).toBe(DAY_START);
  });

  it('accepts start/duration and duration/end', () => {
    expect(parseInterval('2024-05-13T00:00:00Z/P1D')).toMatchObject({ startMs: DAY_START, endMs: DAY_END });
    expect(parseInterval('PT24H/2024-05-14T00:00:00Z')).toMatchObject({ startMs: DAY_START, endMs: DAY_END });
  });

  it('reads a date alone as UTC midnight', () => {
    expect(parseInterval('2024-05-13/2024-05-14')).toMatchObject({ startMs: DAY_START, endMs: DAY_END });
  });

  it('accepts { start, end } with Dates, strings or epoch ms', () => {
    expect(parseInterval({ start: new Date(DAY_START), end: '2024-05-14T00:00:00Z' })).toMatchObject({
      startMs: DAY_START,
      endMs: DAY_END,
    });
    expect(parseInterval({ start: DAY_START, end: DAY_END }).endMs).toBe(DAY_END);
  });

  it('keeps milliseconds and truncates finer fractions', () => {
    expect(parseInstant('2024-05-13T00:00:00.1239Z')).toBe(DAY_START + 123);
  });

  it('refuses end <= start, naming the path', () => {
    const issue = issueOf(() => parseInterval('2024-05-14T00:00:00Z/2024-05-13T00:00:00Z', 'query.interval'));
    expect(issue.path).toBe('query.interval');
    expect(issue.code).toBe('empty_interval');
    expect(issueOf(() => parseInterval('2024-05-13T00:00:00Z/2024-05-13T00:00:00Z')).code).toBe('empty_interval');
  });

  it('refuses a date-time without time zone instead of guessing local time', () => {
    const issue = issueOf(() => parseInterval('2024-05-13T00:00:00/2024-05-14T00:00:00Z'));
    expect(issue.code).toBe('missing_time_zone');
    expect(issue.message).toMatch(/add "Z"/);
  });

  it.each([
    ['not-an-interval'],
    ['2024-05-13T00:00:00Z'],
    ['2024-05-13T00:00:00Z/2024-05-14T00:00:00Z/extra'],
    ['2024-05-13T00:00:00Z/'],
    ['P1D/PT6H'],
    ['May 13 2024/May 14 2024'],
    ['2024-02-30T00:00:00Z/2024-03-01T00:00:00Z'],
    ['2023-02-29T00:00:00Z/2023-03-01T00:00:00Z'],
    ['2024-05-13T24:00:00Z/2024-05-14T01:00:00Z'],
    ['2024-05-13T00:60:00Z/2024-05-14T01:00:00Z'],
    ['2024-05-13T00:00:00+25:00/2024-05-14T01:00:00Z'],
  ])('refuses %s', (text) => {
    expect(issueOf(() => parseInterval(text, 'interval')).path).toBe('interval');
  });

  it('refuses invalid Dates and non-integer epoch ms', () => {
    expect(issueOf(() => parseInterval({ start: new Date('nope'), end: new Date() })).path).toBe('interval.start');
    expect(issueOf(() => parseInterval({ start: 1.5, end: 10 })).path).toBe('interval.start');
    expect(issueOf(() => parseInterval(null as unknown as string)).code).toBe('invalid_type');
  });

  it('accepts leap days and years below 100 literally', () => {
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(new Date(parseInstant('0050-01-01T00:00:00Z')).getUTCFullYear()).toBe(50);
  });
});
