import { ValidationError, validationErrorFromZod, type ValidationIssue } from '../errors';
import { describeValue } from './describe-issues';

interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }> } };
}

/** A ValidationError subclass an entry throws instead (the simulated org's SimulatorOptionsError). */
export type ValidationErrorClass = new (where: string, issues: ValidationIssue[], hint?: string) => ValidationError;

/**
 * The one way a public function checks its input: parse with its schema, or throw a ValidationError that names
 * each bad field in the SDK's wording (what was expected, what was received, where an unknown key belongs or the
 * closest real key). Before any I/O. docs/errors.md states the rule; test/fuzz/ holds every export to it.
 */
export function parseOptions<T>(
  schema: SafeParser<T>,
  input: unknown,
  where: string,
  extra: { hint?: string; elsewhere?: Readonly<Record<string, string>>; error?: ValidationErrorClass } = {},
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const e = validationErrorFromZod(where, parsed.error, extra.hint, { schema, input, ...(extra.elsewhere ? { elsewhere: extra.elsewhere } : {}) });
  if (!extra.error) throw e;
  throw new extra.error(e.where, e.issues, extra.hint);
}

/**
 * One refused argument, worded like parseOptions' messages (`expected a string, got number 42`): for checks on hot
 * paths (no schema per call) and for arguments that are not option objects.
 */
export function refuse(where: string, path: string, message: string, code = 'invalid_type'): ValidationError {
  return new ValidationError(where, [{ path, message, code }]);
}

/** `expected <what>, got <a short description of value>`. */
export function expected(what: string, value: unknown): string {
  return value === undefined ? `is required (${what})` : `expected ${what}, got ${describeValue(value)}`;
}

/** The client argument of a module constructor: anything with GenesysClient's request methods. */
export function checkClient(client: unknown, where: string): void {
  const c = client as { request?: unknown; requestWithResponse?: unknown } | null | undefined;
  if (typeof c !== 'object' || c === null || typeof c.request !== 'function' || typeof c.requestWithResponse !== 'function') {
    throw refuse(where, 'client', expected('a GenesysClient', client));
  }
}

/** An id that goes into a request path later (`reports.job(id)`): refused at the call, not when the request is built. */
export function checkId(value: unknown, where: string, path: string): string {
  if (typeof value !== 'string') throw refuse(where, path, expected('an id (a string)', value));
  if (value === '' || value === '.' || value === '..' || value.length > 200 || /[\u0000-\u001f\u007f/\\?#%]/.test(value)) {
    throw refuse(where, path, `${describeValue(value)} is not an id: a non-empty string of at most 200 characters, not "." or "..", without /, \\, ?, #, % or control characters`, 'invalid_format');
  }
  return value;
}
