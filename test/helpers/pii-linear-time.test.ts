/**
 * Catastrophic-backtracking guard, not a benchmark: every adversarial 1 MB input must scan well inside 2 s.
 * The seed's email regex is quadratic on the dotted ones (1.9 s for 40k chars of `a.a.…`; hours for 1 MB).
 */
import { describe, expect, it } from 'vitest';
import { containsPii, redactPii, scanPii } from '@org/gc-data/pii';

const MB = 1_000_000;
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

const adversarial: Record<string, string> = {
  'letters without @': fill('a'),
  'local-part characters without @': fill('a.b-c_d+e%'),
  'dotted words without @': fill('a.'),
  'only @': fill('@'),
  'a@ repeated': fill('a@'),
  '@ then label dots': fill('@a.'),
  '64-char local parts before each @': fill(`${'a'.repeat(64)}@`),
  'long domains after each @': fill(`x@${'b.'.repeat(130)}`),
  'one long digit run': fill('1'),
  'digit-dash chain': fill('1-'),
  'digit-space chain': fill('1 '),
  'four-digit groups': fill('4111 '),
  'phone prefix fragments': fill('+1 (415) 555-'),
  'plus signs and digits': fill('+4'),
  'open parentheses': fill('(415'),
  'SSN keyword then digits': fill('ssn 12345678 '),
  'phone keyword then digits': fill('call 415555013 '),
  'mixed separators': fill('9.9-9 9('),
  // normalised before scanning (NFKC, invisible characters removed): the normalisation must stay linear too
  'full-width digits': fill('１'),
  'full-width phone fragments': fill('４１５-５５５-'),
  'zero-width spaces between letters': fill('a\u200B'),
  'only zero-width spaces': fill('\u200B'),
  'ligatures that expand': fill('ﬁ'),
  'CJK text (unchanged by NFKC)': fill('電話番号'),
  'astral digits': fill('𝟒'),
};

describe('scan time stays linear on adversarial input', () => {
  for (const [name, text] of Object.entries(adversarial)) {
    it(`1 MB of ${name}`, () => {
      const t0 = performance.now();
      scanPii(text);
      containsPii(text);
      redactPii(text);
      expect(performance.now() - t0).toBeLessThan(2000);
    });
  }

  it('1 MB of a full-width finding repeated', () => {
    const text = fill('４１５-５５５-０１３４ ');
    const t0 = performance.now();
    expect(scanPii(text).length).toBe(Math.floor(MB / 13) + (MB % 13 >= 12 ? 1 : 0));
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('1 MB of a real finding repeated (200k+ findings)', () => {
    const text = fill('415-555-0134 ');
    const t0 = performance.now();
    expect(scanPii(text).length).toBe(Math.floor(MB / 13) + (MB % 13 >= 12 ? 1 : 0));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
