/**
 * PII scanner for annotation text: phone numbers, email addresses, payment card numbers and US SSNs, with
 * positions and a redact mode. Pure and allocation-light; importable alone.
 *
 * Every detector is a hand-written matcher that reads a bounded number of characters from a candidate start
 * (a digit run, an '@'), so the whole scan is linear in the input whatever it contains: no regex with an
 * unbounded quantifier ever runs over the text. The rules (what counts, what deliberately does not) are in
 * docs/pii.md; the comments in each detector's file say why a rule exists.
 *
 * Files: this one (the public functions and their options), scan.ts (normalise, detect, merge), normalise.ts,
 * email.ts, numbers.ts (the digit-run walk) with phone.ts, card.ts (+ luhn.ts), ssn.ts, and chars.ts, hit.ts.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { checkOptionsObject, kindOf, quote } from '../helpers/input-guard';
import { scanOriginal } from './scan';
import type { PiiFinding, PiiType, Wanted } from './types';

export { luhnValid } from './luhn';
export type { PiiFinding, PiiType } from './types';

export interface ScanPiiOptions {
  /** Which detectors run. Default: all four. An empty list runs none. */
  types?: readonly PiiType[];
}

/** A fixed replacement, or one computed per finding. */
export type PiiMask = string | ((finding: PiiFinding) => string);

export interface RedactPiiOptions extends ScanPiiOptions {
  /** Default: `[REDACTED:<type>]`. */
  mask?: PiiMask;
}

export const PII_TYPES: readonly PiiType[] = ['phone', 'email', 'card', 'ssn'];

/**
 * Spans found by every detector in `text`, overlaps resolved (card > ssn > email > phone), sorted by start.
 * The text is scanned in a normalised form (NFKC, zero-width characters and soft hyphens removed) so that
 * full-width digits or an invisible character inside an address cannot hide it; offsets are the original's.
 */
export function scanPii(text: string, options?: ScanPiiOptions): PiiFinding[] {
  return scanOriginal(text, wanted(text, options, 'scanPii', SCAN_KEYS), false);
}

/** True as soon as any detector fires; does not scan the rest. Same answer as `scanPii(...).length > 0`. */
export function containsPii(text: string, options?: ScanPiiOptions): boolean {
  return scanOriginal(text, wanted(text, options, 'containsPii', SCAN_KEYS), true).length > 0;
}

/**
 * `text` with every finding replaced by the mask; text between findings is kept byte for byte. The mask replaces
 * the finding's span of the original text, invisible characters inside it included.
 */
export function redactPii(text: string, options?: RedactPiiOptions): string {
  const want = wanted(text, options, 'redactPii', REDACT_KEYS);
  const mask = options?.mask === undefined ? defaultMask : options.mask;
  if (typeof mask !== 'string' && typeof mask !== 'function') {
    throw new ValidationError('redactPii options', [{ path: 'mask', code: 'invalid_type', message: `mask must be a string or a function, got ${kindOf(mask)} ${quote(mask)}` }]);
  }
  const findings = scanOriginal(text, want, false);
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + (typeof mask === 'string' ? mask : String(mask(f)));
    at = f.end;
  }
  return out + text.slice(at);
}

function defaultMask(f: PiiFinding): string {
  return `[REDACTED:${f.type}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Options

const ALL: Wanted = { phone: true, email: true, card: true, ssn: true };

const SCAN_KEYS = ['types'] as const;
const REDACT_KEYS = ['types', 'mask'] as const;

function wanted(text: unknown, options: unknown, where: string, keys: readonly string[]): Wanted {
  if (typeof text !== 'string') {
    throw new ValidationError(`${where} input`, [{ path: 'text', code: 'invalid_type', message: `expected a string, got ${kindOf(text)}` }]);
  }
  const optionIssues: ValidationIssue[] = [];
  // `scanPii(text, 'phone')` must not silently scan for everything: options are an object or nothing
  const o = checkOptionsObject(options, keys, optionIssues);
  if (optionIssues.length > 0) throw new ValidationError(`${where} options`, optionIssues, "Pass the detectors as { types: ['phone'] }.");
  const types = o?.types;
  if (types === undefined) return ALL;
  if (!Array.isArray(types)) {
    throw new ValidationError(`${where} options`, [{ path: 'types', code: 'invalid_type', message: `types must be an array of PII types (${PII_TYPES.join(', ')}), got ${kindOf(types)} ${quote(types)}` }]);
  }
  const w: Wanted = { phone: false, email: false, card: false, ssn: false };
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < types.length; i++) {
    const t: unknown = types[i];
    if (t === 'phone' || t === 'email' || t === 'card' || t === 'ssn') w[t] = true;
    else if (issues.length < 20) issues.push({ path: `types[${i}]`, code: 'invalid_value', message: `unknown PII type ${quote(t)}; expected one of ${PII_TYPES.join(', ')}` });
  }
  if (issues.length > 0) throw new ValidationError(`${where} options`, issues);
  return w;
}
