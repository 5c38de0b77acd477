/**
 * The small checks every pure helper uses to refuse bad input the same way: a `ValidationError` whose issues name
 * the exact field path, found in bounded time, with at most ~100 characters of a bad value quoted. Free of zod so
 * each helper stays importable alone; the issue shape (one issue per unknown key, whose path is the key; codes
 * `unrecognized_keys`, `invalid_type`, `invalid_value`) matches `validationErrorFromZod`, so errors read alike.
 */
import { ValidationError, type ValidationIssue } from '../errors';

/** Most characters of a caller's value an error message repeats. */
export const QUOTE_MAX = 100;

/** `"value"` for a string (cut to ~100 characters, with the full length said), a short description otherwise. */
export function quote(value: unknown, max = QUOTE_MAX): string {
  if (typeof value === 'string') {
    return value.length <= max ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an object';
  }
}

/** What `typeof` would say, with null and arrays told apart (for "expected X, got Y"). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** A lookup table keyed by caller input: only its own keys count (`constructor`, `__proto__` are not in it). */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const at = (prefix: string, key: string): string => (prefix ? `${prefix}.${key}` : key);

/**
 * Checks an options object: `undefined` is "no options"; anything else must be a plain object whose keys are all
 * in `known`. Pushes one issue per unknown key (the key is its path) and returns the object, or undefined when it
 * was not an object (that issue is pushed too).
 */
export function checkOptionsObject(
  options: unknown,
  known: readonly string[],
  issues: ValidationIssue[],
  prefix = '',
): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) {
    issues.push({
      path: prefix || 'options',
      code: 'invalid_type',
      message: `options must be an object such as { ${known[0] ?? ''}: … }, got ${kindOf(options)} ${quote(options)}`,
    });
    return undefined;
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      issues.push({ path: at(prefix, k), code: 'unrecognized_keys', message: `unknown option ${quote(k)}: check its spelling (options are ${known.join(', ')})` });
    }
  }
  return options;
}

/** Pushes an issue unless `value` is undefined or one of `allowed`. */
export function checkEnumOption(value: unknown, allowed: readonly string[], path: string, issues: ValidationIssue[]): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  issues.push({ path, code: 'invalid_value', message: `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${quote(value)}` });
}

/** Pushes an issue unless `value` is undefined or a boolean. */
export function checkBooleanOption(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (value === undefined || typeof value === 'boolean') return;
  issues.push({ path, code: 'invalid_type', message: `must be true or false, got ${kindOf(value)} ${quote(value)}` });
}

/** Pushes an issue unless `value` is undefined or a function. */
export function checkFunctionOption(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (value === undefined || typeof value === 'function') return;
  issues.push({ path, code: 'invalid_type', message: `must be a function, got ${kindOf(value)} ${quote(value)}` });
}

/** Pushes an issue unless `value` is undefined or a whole number in [min, max]. */
export function checkIntegerOption(value: unknown, min: number, max: number, path: string, issues: ValidationIssue[]): void {
  if (value === undefined || (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max)) return;
  issues.push({ path, code: 'invalid_value', message: `must be a whole number from ${min} to ${max}, got ${kindOf(value)} ${quote(value)}` });
}

/** Throws the issues, if any, as one ValidationError. */
export function throwIfIssues(where: string, issues: ValidationIssue[], hint?: string): void {
  if (issues.length > 0) throw new ValidationError(where, issues, hint);
}
