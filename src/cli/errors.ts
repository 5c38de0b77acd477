/**
 * Exit codes and one-line error messages. Every failure ends as one clear line on stderr (with the correlation id
 * when the platform answered); the stack is printed only with `--verbose`. docs/cli.md lists the codes.
 */
import {
  AbortError,
  ApiError,
  AuthError,
  BadRequestError,
  EntityMismatchError,
  GcError,
  IncompleteDataError,
  JobFailedError,
  NetworkError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  UnsafeRequestError,
  ValidationError,
} from '../errors';

export const EXIT = {
  OK: 0,
  /** Anything not listed below: platform 5xx after retries, network, a failed job, a bug. */
  OTHER: 1,
  /** Bad flags, bad files, input the SDK refused before sending, or a 400 from the platform. */
  USAGE: 2,
  /** The token endpoint refused the credentials (401), or the OAuth client lacks a permission (403). */
  AUTH: 3,
  /** The overall deadline ran out, or 429s could not be waited out. */
  LIMIT: 4,
  /** Stopped by Ctrl-C (SIGINT): output flushed, checkpoint kept. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM, same clean stop. */
  TERMINATED: 143,
} as const;

/** Wrong command line or input file: exit 2, message shown as is. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ValidationError || error instanceof BadRequestError || error instanceof UnsafeRequestError) return EXIT.USAGE;
  if (error instanceof AuthError) return EXIT.AUTH;
  if (error instanceof RateLimitError || error instanceof TimeoutError) return EXIT.LIMIT;
  return EXIT.OTHER;
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** What to do about it, for the errors a user can act on. */
function hintFor(error: unknown): string | undefined {
  if (error instanceof AuthError) {
    return error.status === 403
      ? 'the OAuth client needs the permission for this endpoint (docs/authentication.md lists them per command)'
      : 'check GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET and GENESYS_REGION (the login host the OAuth client belongs to)';
  }
  if (error instanceof RateLimitError) return 'retry later, or lower --requests-per-minute / --concurrency when other jobs share the org budget';
  if (error instanceof TimeoutError) {
    return error.kind === 'deadline' ? 'narrow --interval or retry later (docs/troubleshooting.md)' : 'the platform is slow to answer; retry later';
  }
  if (error instanceof ServerError) return 'the platform kept failing after retries; retry later (a checkpoint resumes where it stopped)';
  if (error instanceof NetworkError) return 'check the network, --region / --base-url and any proxy';
  if (error instanceof BadRequestError) return 'the platform refused the request content: see docs/troubleshooting.md';
  if (error instanceof IncompleteDataError || error instanceof EntityMismatchError) {
    return 'the platform returned incomplete or wrong data; nothing past it was written: retry later (a checkpoint resumes where it stopped)';
  }
  if (error instanceof RedirectError) return 'the platform (or a proxy) redirected somewhere the client does not follow: check --region / --base-url';
  if (error instanceof ResponseTooLargeError) return 'a response was larger than any page of the platform should be: retry later, or report it';
  if (error instanceof UnsafeRequestError) return 'nothing was sent: check the ids and paths given (docs/security.md)';
  return undefined;
}

function describeValidation(e: ValidationError): string {
  const issues = e.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return `invalid ${e.where}: ${issues}`;
}

/**
 * One line, no secrets (SDK errors never carry any; UsageErrors are written by the CLI without flag values that
 * could be secrets). ApiError messages already end with the correlation id.
 */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof UsageError) text = error.hint ? `${error.message} (${error.hint})` : error.message;
  else if (error instanceof ValidationError) text = describeValidation(error);
  else if (error instanceof ApiError) {
    const code = error.code && !error.message.includes(error.code) ? ` [${error.code}]` : '';
    const details = error.details?.map((d) => d.fieldName ?? d.errorCode).filter(Boolean) ?? [];
    text = `${error.message}${code}${details.length ? ` (fields: ${details.join(', ')})` : ''}`;
  } else if (error instanceof UnexpectedResponseError || error instanceof JobFailedError || error instanceof GcError) text = error.message;
  else if (error instanceof Error) text = `${error.name}: ${error.message}`;
  else text = String(error);
  const hint = hintFor(error);
  // The SDK's own message may already say what to check.
  return oneLine(hint && !/\bcheck\b/i.test(text) ? `${text} — ${hint}` : text);
}

/** Machine-readable form for `--json` (the SDK's toJSON is already free of secrets). */
export function errorJson(error: unknown): Record<string, unknown> {
  const base: Record<string, unknown> = { message: describeError(error), exitCode: exitCodeFor(error) };
  if (error instanceof GcError) return { ...pick(error.toJSON()), ...base };
  if (error instanceof Error) return { ...base, name: error.name };
  return base;
}

function pick(json: Record<string, unknown>): Record<string, unknown> {
  const { body: _body, ...rest } = json;
  return rest;
}

export function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  return error instanceof AbortError || (error instanceof Error && error.name === 'AbortError') || error === signal.reason;
}
