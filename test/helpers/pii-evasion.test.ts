/**
 * Issue 18, PII evasion: a zero-width space inside an email or a phone number, a soft hyphen inside a card number,
 * or full-width digits passed `pii: 'reject'`. The scanner now reads an NFKC-normalised copy with zero-width
 * characters and soft hyphens removed, and reports offsets (and `match`) in the original text; redaction masks the
 * original span, the invisible characters included.
 */
import { describe, expect, it } from 'vitest';
import { containsPii, redactPii, scanPii } from '@org/gc-data/pii';
import { type PiiFinding } from '@org/gc-data';

const ZWSP = '\u200B';
const ZWJ = '\u200D';
const WJ = '\u2060';
const BOM = '\uFEFF';
const SHY = '\u00AD';

function only(text: string): PiiFinding {
  const found = scanPii(text);
  expect(found, JSON.stringify(text)).toHaveLength(1);
  return found[0]!;
}

describe('invisible characters do not hide PII', () => {
  it.each([
    ['a zero-width space in an email', `mail jo${ZWSP}hn.doe@exam${ZWSP}ple.com now`, 'email', `jo${ZWSP}hn.doe@exam${ZWSP}ple.com`],
    ['a zero-width joiner in an email', `mail john${ZWJ}@example.com now`, 'email', `john${ZWJ}@example.com`],
    ['a zero-width space in a phone', `call 415-55${ZWSP}5-0134 today`, 'phone', `415-55${ZWSP}5-0134`],
    ['a word joiner in a phone', `call (415)${WJ} 555-0134`, 'phone', `(415)${WJ} 555-0134`],
    ['a BOM in an SSN', `ssn 123-4${BOM}5-6789`, 'ssn', `123-4${BOM}5-6789`],
    ['a soft hyphen in a card', `card 4111 11${SHY}11 1111 1111 thanks`, 'card', `4111 11${SHY}11 1111 1111`],
  ])('%s', (_name, text, type, match) => {
    const f = only(text);
    expect(f.type).toBe(type);
    expect(f.match).toBe(match);
    expect(text.slice(f.start, f.end)).toBe(match);
    expect(containsPii(text)).toBe(true);
    expect(redactPii(text, { mask: '#' })).toBe(text.replace(match, '#'));
  });
});

describe('full-width and other compatibility forms do not hide PII', () => {
  it.each([
    ['full-width digits in a phone', 'call ４１５-５５５-０１３４ today', 'phone', '４１５-５５５-０１３４'],
    ['a full-width at sign', 'mail john＠example.com now', 'email', 'john＠example.com'],
    ['full-width card digits with ideographic spaces', 'card ４１１１\u3000１１１１\u3000１１１１\u3000１１１１ ok', 'card', '４１１１\u3000１１１１\u3000１１１１\u3000１１１１'],
    ['full-width SSN', 'SSN: １２３－４５－６７８９.', 'ssn', '１２３－４５－６７８９'],
  ])('%s', (_name, text, type, match) => {
    const f = only(text);
    expect(f.type).toBe(type);
    expect(f.match).toBe(match);
    expect(text.slice(f.start, f.end)).toBe(match);
    expect(redactPii(text)).toBe(text.replace(match, `[REDACTED:${type}]`));
  });

  it('offsets stay right after characters that expand or vanish under normalisation', () => {
    // "ﬁ" (one unit) becomes "fi" (two), "𝟒" (two units) becomes "4" (one), ZWSP vanishes
    const text = `ﬁle 𝟒 ${ZWSP}${ZWSP} ref; call 415-555-0134 or mail a@b.example.org`;
    const found = scanPii(text);
    expect(found.map((f) => [f.type, f.match, text.slice(f.start, f.end)])).toEqual([
      ['phone', '415-555-0134', '415-555-0134'],
      ['email', 'a@b.example.org', 'a@b.example.org'],
    ]);
    expect(found[0]!.start).toBe(text.indexOf('415'));
  });

  it('a mask function sees original offsets', () => {
    const text = `x ４１５-５５５-０１３４ y`;
    expect(redactPii(text, { mask: (f) => `<${f.start}-${f.end}:${f.match.length}>` })).toBe('x <2-14:12> y');
  });

  it('text without PII is returned unchanged, invisible characters and all', () => {
    const text = `ﬁne ${ZWSP}day ４ you`;
    expect(scanPii(text)).toEqual([]);
    expect(redactPii(text)).toBe(text);
  });
});
