import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { redactPii, scanPii, type PiiFinding } from '@org/gc-data/pii';
import { mixed } from './pii-corpus';

const NOTE = 'Customer Jane (jane.doe@example.com, 415-555-0134) paid with 4111 1111 1111 1111; SSN 123-45-6789.';

describe('redactPii', () => {
  it('replaces each finding with [REDACTED:<type>] by default', () => {
    expect(redactPii(NOTE)).toBe(
      'Customer Jane ([REDACTED:email], [REDACTED:phone]) paid with [REDACTED:card]; SSN [REDACTED:ssn].',
    );
  });

  it('uses a fixed string mask for every finding', () => {
    expect(redactPii('call 415-555-0134 or jane@example.com', { mask: '***' })).toBe('call *** or ***');
  });

  it('calls a mask function with each finding, in order', () => {
    const seen: PiiFinding[] = [];
    const out = redactPii(NOTE, {
      mask: (f) => {
        seen.push(f);
        return f.type === 'card' ? `****${f.match.slice(-4)}` : `<${f.type}>`;
      },
    });
    expect(out).toBe('Customer Jane (<email>, <phone>) paid with ****1111; SSN <ssn>.');
    expect(seen).toEqual(scanPii(NOTE));
  });

  it('redacts only the selected types', () => {
    expect(redactPii(NOTE, { types: ['card', 'ssn'] })).toBe(
      'Customer Jane (jane.doe@example.com, 415-555-0134) paid with [REDACTED:card]; SSN [REDACTED:ssn].',
    );
  });

  it('returns the very same string when there is nothing to redact', () => {
    const text = 'Order #100234567 on 2024-05-13, v10.2.3 at 10.0.0.1, $1,234.56';
    expect(redactPii(text)).toBe(text);
  });

  it('keeps the text between findings byte for byte, across the mixed corpus', () => {
    for (const e of mixed) {
      const findings = scanPii(e.text);
      let rebuilt = '';
      let at = 0;
      for (const f of findings) {
        rebuilt += e.text.slice(at, f.start) + `[REDACTED:${f.type}]`;
        at = f.end;
      }
      expect(redactPii(e.text), e.text).toBe(rebuilt + e.text.slice(at));
    }
  });

  it('leaves no finding behind: a redacted text rescans clean', () => {
    for (const e of mixed) expect(scanPii(redactPii(e.text)), e.text).toEqual([]);
  });

  it('an empty mask deletes the findings', () => {
    expect(redactPii('SSN: 123-45-6789!', { mask: '' })).toBe('SSN: !');
  });

  it('rejects a mask that is neither a string nor a function', () => {
    expect(() => redactPii('x', { mask: 42 as never })).toThrow(ValidationError);
  });
});
