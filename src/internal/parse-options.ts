import { validationErrorFromZod, type ValidationError, type ValidationIssue } from '../errors';

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
