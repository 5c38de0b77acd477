import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { formatInstant, formatInterval, lastFullUtcDay, parseInterval } from '@org/gc-data/intervals';

describe('formatInterval', () => {
  it('drops .000 on whole seconds and keeps real milliseconds', () => {
    const start = Date.UTC(2024, 4, 13);
    expect(formatInterval(start, start + 86_400_000)).toBe('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
    expect(formatInterval(start, start + 1_250)).toBe('2024-05-13T00:00:00Z/2024-05-13T00:00:01.250Z');
    expect(formatInstant(start + 7)).toBe('2024-05-13T00:00:00.007Z');
  });

  it('round-trips through parseInterval', () => {
    const text = '2024-05-13T00:00:00Z/2024-05-13T06:00:00.001Z';
    const p = parseInterval(text);
    expect(formatInterval(p.startMs, p.endMs)).toBe(text);
  });

  it('refuses empty or non-finite ranges', () => {
    expect(() => formatInterval(10, 10)).toThrow(ValidationError);
    expect(() => formatInterval(Number.NaN, 10)).toThrow(ValidationError);
  });
});

describe('lastFullUtcDay', () => {
  it('is yesterday in UTC, whatever the time of day', () => {
    expect(lastFullUtcDay(new Date('2024-05-14T00:00:00Z'))).toBe('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
    expect(lastFullUtcDay(new Date('2024-05-14T23:59:59.999Z'))).toBe('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
  });

  it('is 24 h long across a DST change in local zones', () => {
    // 2024-03-31 is the EU spring-forward day; UTC days are always 24 h.
    const p = parseInterval(lastFullUtcDay(new Date('2024-04-01T01:00:00+02:00')));
    expect(p.endMs - p.startMs).toBe(86_400_000);
    expect(p.start.toISOString()).toBe('2024-03-30T00:00:00.000Z');
  });

  it('defaults to now', () => {
    // Bracketed by the real clock read before and after (a midnight between the reads is allowed for, not raced).
    const day = (ms: number) => Math.floor(ms / 86_400_000) * 86_400_000;
    const before = Date.now();
    const p = parseInterval(lastFullUtcDay());
    const after = Date.now();
    expect([day(before), day(after)]).toContain(p.endMs);
    expect(p.endMs - p.startMs).toBe(86_400_000);
  });
});
