/**
 * Catastrophic-backtracking guard, not a benchmark: every adversarial 1 MB input must scan well inside 2 s.
 * The seed's email regex is quadratic on the dotted ones (1.9 s for 40k chars of `a.a.…`; hours for 1 MB).
 */
import { describe, expect, it } from 'vitest';
import { containsPii, redactPii, scanPii } from '@org/gc-data/pii';

const MB = 1_000_000;
const fill = (unit: string, size = MB): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/**
 * Linear, by the clock or by the shape: 1 MB within 2 s, or 1 MB within 10x the time of a quarter of it (linear is
 * 4x, quadratic 16x). Time is this process's CPU time (`process.cpuUsage`; vitest runs each file in its own process),
 * not the wall clock: on a machine busy with other suites, wall time counts the time other processes ran (a run
 * beside another suite at load 12-18 read a ratio over 10 by the wall clock on input that is linear). The fastest
 * of a few runs is taken, which drops the rest of the noise (GC, cache).
 */
function expectLinear(run: (text: string) => void, unit: string): void {
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const fastest = (text: string, times: number) => {
    let best = Infinity;
    for (let i = 0; i < times; i++) {
      const t0 = cpuMs();
      run(text);
      best = Math.min(best, cpuMs() - t0);
    }
    return best;
  };
  const big = fastest(fill(unit), 1);
  if (big < 2000) return;
  const quarter = fastest(fill(unit, MB / 4), 3);
  const again = fastest(fill(unit), 2);
  expect(Math.min(big, again) / Math.max(quarter, 1)).toBeLessThan(10);
}

const adversarial: Record<string, string> = {
  'letters without @': 'a',
  'local-part characters without @': 'a.b-c_d+e%',
  'dotted words without @': 'a.',
  'only @': '@',
  'a@ repeated': 'a@',
  '@ then label dots': '@a.',
  '64-char local parts before each @': `${'a'.repeat(64)}@`,
  'long domains after each @': `x@${'b.'.repeat(130)}`,
  'one long digit run': '1',
  'digit-dash chain': '1-',
  'digit-space chain': '1 ',
  'four-digit groups': '4111 ',
  'phone prefix fragments': '+1 (415) 555-',
  'plus signs and digits': '+4',
  'open parentheses': '(415',
  'SSN keyword then digits': 'ssn 12345678 ',
  'phone keyword then digits': 'call 415555013 ',
  'mixed separators': '9.9-9 9(',
  // normalised before scanning (NFKC, invisible characters removed): the normalisation must stay linear too
  'full-width digits': '１',
  'full-width phone fragments': '４１５-５５５-',
  'zero-width spaces between letters': 'a\u200B',
  'only zero-width spaces': '\u200B',
  'ligatures that expand': 'ﬁ',
  'CJK text (unchanged by NFKC)': '電話番号',
  'astral digits': '𝟒',
};

describe('scan time stays linear on adversarial input', () => {
  for (const [name, unit] of Object.entries(adversarial)) {
    it(`1 MB of ${name}`, () => {
      expectLinear((text) => {
        scanPii(text);
        containsPii(text);
        redactPii(text);
      }, unit);
    });
  }

  it('1 MB of a full-width finding repeated', () => {
    expect(scanPii(fill('４１５-５５５-０１３４ ')).length).toBe(Math.floor(MB / 13) + (MB % 13 >= 12 ? 1 : 0));
    expectLinear((text) => scanPii(text), '４１５-５５５-０１３４ ');
  });

  it('1 MB of a real finding repeated (200k+ findings)', () => {
    expect(scanPii(fill('415-555-0134 ')).length).toBe(Math.floor(MB / 13) + (MB % 13 >= 12 ? 1 : 0));
    expectLinear((text) => scanPii(text), '415-555-0134 ');
  });
});
