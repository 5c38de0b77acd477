import * as z from 'zod';
import { validationErrorFromZod } from './errors';
import { lazySchema } from './internal/lazy-schema';
import { parseOptions } from './internal/parse-options';
import { nonNegInt, positiveInt } from './internal/schema-fragments';
import type { HttpMethod } from './transport/transport';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const scalar = () => z.union([z.string(), z.number().refine(Number.isFinite, { error: 'must be a finite number' }), z.boolean()]);

/**
 * `client.request()` options as the transport needs them. Checked before a token is minted: a call that could not
 * be sent as written (an object as a query value, a timeout of NaN, a signal that is not an AbortSignal) is a
 * ValidationError naming the option, not a TypeError later or a request with `[object Object]` in its URL.
 */
const Schema = lazySchema(() =>
  z.strictObject({
    method: z
      .string({ error: `method must be one of ${METHODS.join(', ')}` })
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS, { error: `method must be one of ${METHODS.join(', ')}` }))
      .optional(),
    path: z.string({ error: 'path is required: a path on the API host such as /api/v2/users' }).min(1, { error: 'path must not be empty' }),
    query: z.record(z.string(), z.union([scalar(), z.array(scalar()), z.null(), z.undefined()])).optional(),
    body: z.unknown().optional(),
    schema: z
      .custom<unknown>((v) => typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function', {
        error: 'schema must be a zod schema (or any object with a safeParse method)',
      })
      .optional(),
    idempotent: z.boolean().optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' }).optional(),
    timeoutMs: positiveInt().optional(),
    deadlineMs: positiveInt().optional(),
    headers: z.record(z.string(), z.string({ error: 'header values must be strings' })).optional(),
    retry: z.strictObject({ limit: nonNegInt().optional(), rateLimitLimit: nonNegInt().optional() }).optional(),
  }),
);

/** Validates `request()` options; the method comes back upper-cased. Throws a ValidationError; sends nothing. */
export function checkRequestOptions<O extends { method?: HttpMethod | undefined; path: string }>(options: O, where: string): O & { method: HttpMethod } {
  if (typeof options !== 'object' || options === null) {
    throw validationErrorFromZod(where, { issues: [{ path: [], message: 'options must be an object such as { path: "/api/v2/users" }' }] });
  }
  const parsed = parseOptions(Schema, options, where);
  return { ...options, method: (parsed.method ?? 'GET') as HttpMethod };
}
