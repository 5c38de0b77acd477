/** Issue 18: canonicalJson on a value nested 10,000 deep overflowed the stack (RangeError); now a ValidationError. */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/helpers/canonical-json';
import { ValidationError } from '@org/gc-data';

describe('canonicalJson bounds', () => {
  it('refuses a value nested deeper than 500 levels, at the path of the first node past it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    try {
      canonicalJson(deep);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const [issue] = (e as ValidationError).issues;
      expect(issue?.path).toBe(Array.from({ length: 500 }, () => 'a').join('.'));
      expect(issue?.message).toMatch(/nested deeper than 500 levels/);
    }
    let ok: unknown = 1;
    for (let i = 0; i < 499; i++) ok = [ok];
    expect(canonicalJson(ok)).toBe(`${'['.repeat(499)}1${']'.repeat(499)}`);
  });
});
