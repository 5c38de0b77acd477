import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { parseDuration } from '@org/gc-data/intervals';

describe('parseDuration', () => {
  it.each([
    ['PT6H', 6 * 3_600_000],
    ['P1D', 86_400_000],
    ['PT30M', 1_800_000],
    ['P7D', 7 * 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT1H30M15S', 5_415_000],
    ['PT0.5S', 500],
    ['PT1,5H', 5_400_000],
    ['pt15m', 900_000],
    ['PT0S', 0],
  ])('%s is %d ms', (iso, ms) => {
    expect(parseDuration(iso)).toBe(ms);
  });

  it('refuses calendar months and years with a hint', () => {
    for (const iso of ['P1M', 'P1Y', 'P1Y2M3D', 'P2MT1H']) {
      try {
        parseDuration(iso, 'chunk');
        throw new Error('expected a throw');
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        const issue = (err as ValidationError).issues[0];
        expect(issue?.code).toBe('calendar_duration');
        expect(issue?.path).toBe('chunk');
        expect(issue?.message).toMatch(/P30D/);
      }
    }
  });

  it.each(['', 'P', 'PT', 'P1DT', '1D', 'PT-1H', '-P1D', 'P1H', 'PT1D', 'P1.5.5D'])('refuses %j', (iso) => {
    expect(() => parseDuration(iso)).toThrow(ValidationError);
  });
});
