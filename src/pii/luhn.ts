import { ValidationError } from '../errors';
import { kindOf, quote } from '../helpers/input-guard';

/**
 * Luhn (mod 10) check digit validation, as used by payment card numbers (ISO/IEC 7812) and IMEIs.
 * Takes digits only: separators must be stripped first, so a stray character is a "no", never a guess.
 */
export function luhnValid(digits: string): boolean {
  if (typeof digits !== 'string') throw new ValidationError('luhnValid input', [{ path: 'digits', code: 'invalid_type', message: `expected a string of digits, got ${kindOf(digits)} ${quote(digits)}` }]);
  const n = digits.length;
  if (n === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = n - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
