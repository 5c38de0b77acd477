/**
 * Canonical JSON and its sha256: the audit trail's payload fingerprint. Equal values give the same text whatever
 * order their object keys were inserted in, so two writes of the same annotations hash the same.
 *
 * The text is RFC 8785 (JCS) for plain JSON values: object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings serialised as `JSON.stringify` does (which is what JCS specifies for ECMAScript). Pure; importable alone.
 */
import { nodeCrypto } from '../internal/node-builtins';
import { ValidationError } from '../errors';

/**
 * Canonical JSON text of `value`. Follows `JSON.stringify` where JSON has an answer (an object property that is
 * `undefined`, a function or a symbol is left out; in an array it becomes `null`; `toJSON` is honoured, so a Date
 * becomes its ISO string). Throws `ValidationError` where `JSON.stringify` would silently change the value:
 * `NaN`/`Infinity` (it writes `null`), a `bigint`, or a cycle.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, '', new Set<object>());
  if (out === undefined) {
    throw new ValidationError('canonicalJson input', [{ path: '', message: `a ${typeof value} has no JSON form` }]);
  }
  return out;
}

/** Lower-case hex sha256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256Hex(canonicalJson(value))`: the same for equal values in any key order. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** True when both values have the same canonical JSON (deep equality for JSON data, key order ignored). */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalJson(a) === canonicalJson(b);
}

/** Deepest nesting hashed; no JSON the SDK (or the platform) produces comes near it. */
const MAX_NESTING = 500;

function write(value: unknown, path: string, stack: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(path);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${String(value)} is not a JSON number`);
      return JSON.stringify(value);
    case 'bigint':
      throw invalid(path, 'a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (stack.has(obj)) throw invalid(path, 'the value contains a cycle');
  // `stack` holds the ancestors: past this depth the recursion would near the engine's stack limit (a RangeError)
  if (stack.size >= MAX_NESTING) throw invalid(path, `the value is nested deeper than ${MAX_NESTING} levels`);
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts = obj.map((item: unknown, i) => write(item, `${path}[${i}]`, stack) ?? 'null');
      return `[${parts.join(',')}]`;
    }
    // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
    const keys = Object.keys(obj).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = write((obj as Record<string, unknown>)[k], path ? `${path}.${k}` : k, stack);
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('canonicalJson input', [{ path, message }]);
}
