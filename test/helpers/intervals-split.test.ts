import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { halveInterval, parseInterval, splitInterval, splitIntervalWindows } from '@org/gc-data/intervals';

const DAY = '2024-05-13T00:00:00Z/2024-05-14T00:00:00Z';

describe('splitInterval', () => {
  it('cuts a day into 6 h windows', () => {
    expect(splitInterval(DAY, 'PT6H')).toEqual([
      '2024-05-13T00:00:00Z/2024-05-13T06:00:00Z',
      '2024-05-13T06:00:00Z/2024-05-13T12:00:00Z',
      '2024-05-13T12:00:00Z/2024-05-13T18:00:00Z',
      '2024-05-13T18:00:00Z/2024-05-14T00:00:00Z',
    ]);
  });

  it('clips the last window to the end', () => {
    expect(splitInterval(DAY, 'PT7H').at(-1)).toBe('2024-05-13T21:00:00Z/2024-05-14T00:00:00Z');
  });

  it('returns the interval itself when the chunk is longer', () => {
    expect(splitInterval(DAY, 'P7D')).toEqual([DAY]);
  });

  it('takes a chunk in ms and returns windows with epoch ms', () => {
    const w = splitIntervalWindows(DAY, 12 * 3_600_000);
    expect(w).toHaveLength(2);
    expect(w[1]).toEqual({
      startMs: Date.UTC(2024, 4, 13, 12),
      endMs: Date.UTC(2024, 4, 14),
      interval: '2024-05-13T12:00:00Z/2024-05-14T00:00:00Z',
    });
  });

  it.each([[0], [-5], [1.5], [Number.NaN], ['PT0S'], ['P1M']])('refuses chunk %s', (chunk) => {
    try {
      splitInterval(DAY, chunk as string | number);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).toBe('chunk');
    }
  });

  it('refuses splits with too many windows', () => {
    expect(() => splitInterval('2020-01-01T00:00:00Z/2030-01-01T00:00:00Z', 'PT1S')).toThrow(/maxWindows/);
    expect(splitInterval(DAY, 'PT1M', { maxWindows: 1440 })).toHaveLength(1440);
  });

  it('windows cover the interval exactly once (property)', () => {
    const MIN = Date.UTC(2000, 0, 1);
    const MAX = Date.UTC(2100, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: MIN, max: MAX }),
        fc.integer({ min: 1, max: 40 * 86_400_000 }),
        fc.integer({ min: 1, max: 7 * 86_400_000 }),
        (start, length, chunk) => {
          fc.pre(Math.ceil(length / chunk) <= 5000);
          const end = start + length;
          const windows = splitIntervalWindows({ start, end }, chunk);
          expect(windows[0]?.startMs).toBe(start);
          expect(windows.at(-1)?.endMs).toBe(end);
          let total = 0;
          windows.forEach((w, i) => {
            expect(w.endMs).toBeGreaterThan(w.startMs);
            expect(w.endMs - w.startMs).toBeLessThanOrEqual(chunk);
            if (i > 0) expect(w.startMs).toBe(windows[i - 1]?.endMs);
            // The string form says exactly the same thing.
            const p = parseInterval(w.interval);
            expect([p.startMs, p.endMs]).toEqual([w.startMs, w.endMs]);
            total += w.endMs - w.startMs;
          });
          expect(total).toBe(length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('halveInterval', () => {
  it('splits a day at noon', () => {
    expect(halveInterval(DAY)).toEqual([
      '2024-05-13T00:00:00Z/2024-05-13T12:00:00Z',
      '2024-05-13T12:00:00Z/2024-05-14T00:00:00Z',
    ]);
  });

  it('moves the midpoint to a whole second when possible', () => {
    expect(halveInterval('2024-05-13T00:00:00Z/PT3S')[0]).toBe('2024-05-13T00:00:00Z/2024-05-13T00:00:01Z');
    expect(halveInterval('2024-05-13T00:00:00Z/PT0.002S')).toEqual([
      '2024-05-13T00:00:00Z/2024-05-13T00:00:00.001Z',
      '2024-05-13T00:00:00.001Z/2024-05-13T00:00:00.002Z',
    ]);
  });

  it('refuses a 1 ms interval', () => {
    expect(() => halveInterval('2024-05-13T00:00:00Z/PT0.001S')).toThrow(/cannot be split/);
  });

  it('halves are contiguous, non-empty and cover the input (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.integer({ min: 2, max: 90 * 86_400_000 }), (start, len) => {
        const [a, b] = halveInterval({ start, end: start + len }).map((s) => parseInterval(s));
        expect(a?.startMs).toBe(start);
        expect(a?.endMs).toBe(b?.startMs);
        expect(b?.endMs).toBe(start + len);
      }),
    );
  });
});
