import { validationErrorFromZod } from '../errors';

interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }> } };
}

/**
 * The one way a public function checks its input: parse with its schema, or throw a ValidationError that names
 * each bad field in the SDK's wording (what was expected, what was received, where an unknown key belongs or the
 * closest real key). Before any I/O.
 */
export function parseOptions<T>(
  schema: SafeParser<T>,
  input: unknown,
  where: string,
  extra: { hint?: string; elsewhere?: Readonly<Record<string, string>> } = {},
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationErrorFromZod(where, parsed.error, extra.hint, { schema, input, ...(extra.elsewhere ? { elsewhere: extra.elsewhere } : {}) });
}
