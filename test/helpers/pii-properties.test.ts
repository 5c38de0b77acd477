import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPii, luhnValid, PII_TYPES, redactPii, scanPii, type PiiType } from '@org/gc-data/pii';
import { selfEvident } from './pii-corpus';

/** Strings dense in the characters the matchers branch on, so properties reach deep into them. */
const piiish = fc.string({ unit: fc.constantFrom(...'0123456789012345678901234567890123456789 -.+()@x_,:/$'.split('')), maxLength: 200 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), piiish);
/** Filler that cannot form or glue to PII: letters, spaces, sentence punctuation. No digits, no '@'. */
const filler = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC,;!?.'.split('')), maxLength: 30 });
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 1, maxLength: 8 });

const items = PII_TYPES.flatMap((type) => selfEvident[type].map((match) => ({ type, match })));

function checkDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return String(d);
  throw new Error('unreachable');
}

/** Issuer prefixes with the lengths the scheme issues, and the groupings people type for that length. */
const ISSUERS: Array<[prefix: string, length: number]> = [
  ['4', 16], ['4', 13], ['4', 19], ['51', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15],
  ['6011', 16], ['65', 19], ['36', 14], ['300', 14], ['3528', 16], ['3589', 19], ['62', 17], ['50', 18], ['2200', 16],
];
const GROUPINGS: Record<number, number[]> = { 14: [4, 6, 4], 15: [4, 6, 5], 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3] };

const cardNumber = fc
  .record({
    issuer: fc.constantFrom(...ISSUERS),
    body: fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 18, maxLength: 18 }),
    sep: fc.constantFrom('', ' ', '-'),
  })
  .map(({ issuer: [prefix, length], body, sep }) => {
    const partial = (prefix + body).slice(0, length - 1);
    const digits = partial + checkDigit(partial);
    const grouping = GROUPINGS[length];
    if (sep === '' || grouping === undefined) return digits;
    let at = 0;
    return grouping.map((g) => digits.slice(at, (at += g))).join(sep);
  });

describe('scanPii properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(anyText, (text) => void scanPii(text)), { numRuns: 1000 });
  });

  it('findings are in bounds, non-empty, sorted, non-overlapping, and match their slice', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let lastEnd = 0;
        for (const f of scanPii(text)) {
          expect(PII_TYPES).toContain(f.type);
          expect(f.start).toBeGreaterThanOrEqual(lastEnd);
          expect(f.end).toBeGreaterThan(f.start);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(f.match).toBe(text.slice(f.start, f.end));
          lastEnd = f.end;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('containsPii agrees with scanPii', () => {
    fc.assert(fc.property(anyText, (text) => containsPii(text) === scanPii(text).length > 0), { numRuns: 1000 });
  });

  it('a type filter only ever reports that type', () => {
    fc.assert(
      fc.property(piiish, fc.constantFrom(...PII_TYPES), (text, type: PiiType) =>
        scanPii(text, { types: [type] }).every((f) => f.type === type),
      ),
    );
  });

  it('finds every Luhn-valid generated card inside random filler, exactly', () => {
    fc.assert(
      fc.property(filler, cardNumber, filler, (before, card, after) => {
        const text = `${before} ${card} ${after}`;
        expect(scanPii(text)).toEqual([{ type: 'card', start: before.length + 1, end: before.length + 1 + card.length, match: card }]);
      }),
      { numRuns: 500 },
    );
  });

  it('finds exactly the PII items of a document stitched from corpus items and filler', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.constantFrom(...items)), { minLength: 1, maxLength: 12 }), word, (parts, tail) => {
        let text = '';
        const want = [];
        for (const [w, item] of parts) {
          text += `${w} `;
          want.push({ type: item.type, start: text.length, end: text.length + item.match.length, match: item.match });
          text += `${item.match} `;
        }
        text += tail;
        expect(scanPii(text)).toEqual(want);
      }),
    );
  });
});

describe('redactPii properties', () => {
  it('keeps everything between findings and puts the mask where each finding was', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let rebuilt = '';
        let at = 0;
        for (const f of scanPii(text)) {
          rebuilt += `${text.slice(at, f.start)}<${f.type}>`;
          at = f.end;
        }
        return redactPii(text, { mask: (f) => `<${f.type}>` }) === rebuilt + text.slice(at);
      }),
      { numRuns: 1000 },
    );
  });

  it('removes every finding\u2019s match from a document', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, fc.constantFrom(...items)), { minLength: 1, maxLength: 10 }), (parts) => {
        const text = parts.map(([f, item]) => `${f} ${item.match} `).join('');
        const redacted = redactPii(text);
        for (const f of scanPii(text)) expect(redacted).not.toContain(f.match);
      }),
    );
  });
});

describe('luhnValid', () => {
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: 30 });

  it('accepts any digit string completed with its check digit', () => {
    fc.assert(fc.property(digits, (body) => luhnValid(body + checkDigit(body))));
  });

  it('rejects any single-digit change of a valid number', () => {
    fc.assert(
      fc.property(digits, fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const valid = body + checkDigit(body);
        const i = pos % valid.length;
        const changed = valid.slice(0, i) + ((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        return !luhnValid(changed);
      }),
    );
  });

  it('rejects empty input and anything that is not only digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
    expect(luhnValid('4111-1111-1111-1111')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
  });
});
