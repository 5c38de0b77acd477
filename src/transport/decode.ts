import { UnexpectedResponseError, formatPath, type ValidationIssue } from '../errors';

/**
 * The one place a 2xx body becomes data the SDK relies on: JSON parsed, then checked against a schema, or an
 * `UnexpectedResponseError` naming the request and each missing or wrong field (with the path inside the body).
 * Every module decodes through here, so those errors read alike and always carry method, path, status and
 * correlation id.
 */
export interface DecodeContext {
  method: string;
  /** Path only, no query string. */
  path: string;
  status: number;
  correlationId?: string | undefined;
}

/** What `decode` needs from a schema: zod's `safeParse` (zod 3 or 4), or anything with the same method. */
export interface SafeParser<T> {
  safeParse(data: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }> } };
}

export function unexpectedResponse(ctx: DecodeContext, issues: ValidationIssue[]): UnexpectedResponseError {
  return new UnexpectedResponseError({
    method: ctx.method,
    path: ctx.path,
    status: ctx.status,
    ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
    issues,
  });
}

/** A body as JSON; an empty body is `undefined`. */
export function parseJson(body: string | Uint8Array, ctx: DecodeContext): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw unexpectedResponse(ctx, [{ path: '', message: 'body is not valid JSON' }]);
  }
}

/** `value` checked against `schema`; `at` places it inside the body (`['results', 3]`) for the issue paths. */
export function decode<T>(value: unknown, schema: SafeParser<T>, ctx: DecodeContext, at: ReadonlyArray<PropertyKey> = []): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw unexpectedResponse(
    ctx,
    parsed.error.issues.map((i) => ({ path: formatPath([...at, ...i.path]), message: i.message, ...(i.code ? { code: i.code } : {}) })),
  );
}
