import { UnsafeRequestError } from '../errors';

/**
 * Builds an API path from a template, each interpolated value encoded as exactly one path segment:
 *
 * ```ts
 * apiPath`/api/v2/quality/conversations/${conversationId}/evaluations/${evaluationId}`
 * ```
 *
 * `/`, `?`, `#`, `\` and `%` inside a value are percent-encoded, so an id can never reach another endpoint; a value
 * that is empty, `.` or `..` (which URL resolution would collapse into the parent path: `reports.job('..')`) or that
 * holds a control character is refused with an `UnsafeRequestError` before anything is sent. Every module puts ids
 * into paths through this one function.
 */
export function apiPath(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += pathSegment(values[i]!, out) + (strings[i + 1] ?? '');
  }
  return out;
}

/** One value encoded as a single path segment; refused when it would not stay one. */
export function pathSegment(value: string | number, context = ''): string {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f]/.test(s)) {
    const shown = typeof s === 'string' ? JSON.stringify(s.slice(0, 100)) : typeof s;
    throw new UnsafeRequestError(
      { reason: 'path-segment', method: '', path: `${context}{id}` },
      `Refusing to put ${shown} into the path ${context}{id}: an id must be a non-empty string that is not "." or ".." ` +
        'and has no control characters. Check the id you passed.',
    );
  }
  return encodeURIComponent(s);
}
