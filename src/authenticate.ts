import * as z from 'zod';
import { ApiError, GcError, NotFoundError, PermissionDeniedError } from './errors';
import { lazySchema } from './internal/lazy-schema';
import { parseOptions } from './internal/parse-options';
import { clockOf } from './internal/clock';
import type { HttpMethod } from './transport/transport';

/** What `client.authenticate()` can check, one cheap request each. */
export const AUTH_CHECKS = ['analytics', 'quality', 'reports', 'media'] as const;
export type AuthCheck = (typeof AUTH_CHECKS)[number];

export interface AuthenticateOptions {
  /**
   * Which modules to check permissions for, beside minting a token.
   * @default [] (only the token: client id, secret and region)
   */
  checks?: AuthCheck[];
  signal?: AbortSignal;
}

export interface AuthCheckResult {
  check: AuthCheck;
  ok: boolean;
  /** The probe that was sent, e.g. `GET /api/v2/quality/conversations/{id}/evaluations/{id}`. */
  endpoint: string;
  /** The status it got: 2xx or 404 (the permission passed, the probe's id does not exist) means ok. */
  status: number | undefined;
  /** Permissions the platform said were missing (empty when it did not say). */
  missingPermissions: string[];
  /** The permissions this module needs (docs/authentication.md#permissions). */
  needs: string[];
  message: string;
}

export interface AuthenticateResult {
  /** True when the token was minted and every check passed. */
  ok: boolean;
  /** ISO-8601 UTC expiry of the token. */
  tokenExpiresAt: string | undefined;
  checks: AuthCheckResult[];
}

/**
 * One probe per module: a request that needs exactly the permission the module needs. Where the module reads by id
 * the probe reads the nil UUID: the platform checks permissions before existence, so a 404 proves the permission.
 */
const NIL = '00000000-0000-0000-0000-000000000000';
interface Probe {
  method: HttpMethod;
  path: string;
  shown: string;
  body?: unknown;
  needs: string[];
}
function probes(now: number): Record<AuthCheck, Probe> {
  const end = new Date(Math.floor(now / 60_000) * 60_000);
  const start = new Date(end.getTime() - 60_000);
  return {
    analytics: {
      method: 'POST',
      path: '/api/v2/analytics/conversations/details/query',
      shown: 'POST /api/v2/analytics/conversations/details/query',
      body: { interval: `${start.toISOString()}/${end.toISOString()}`, paging: { pageSize: 1, pageNumber: 1 } },
      needs: ['analytics:conversationDetail:view'],
    },
    quality: {
      method: 'GET',
      path: `/api/v2/quality/conversations/${NIL}/evaluations/${NIL}`,
      shown: 'GET /api/v2/quality/conversations/{id}/evaluations/{id}',
      needs: ['quality:evaluation:view'],
    },
    reports: {
      method: 'GET',
      path: '/api/v2/analytics/conversations/details/jobs/availability',
      shown: 'GET /api/v2/analytics/conversations/details/jobs/availability',
      needs: ['analytics:conversationDetail:view'],
    },
    media: {
      method: 'GET',
      path: `/api/v2/conversations/${NIL}/recordingmetadata`,
      shown: 'GET /api/v2/conversations/{id}/recordingmetadata',
      needs: ['recording:recording:view'],
    },
  };
}

const Schema = lazySchema(() =>
  z.strictObject({
    checks: z
      .array(
        z
          .string()
          .transform((s) => s.toLowerCase())
          .pipe(z.enum(AUTH_CHECKS, { error: `each check must be one of ${AUTH_CHECKS.join(', ')}` })),
      )
      .optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' }).optional(),
  }),
);

export interface AuthenticatingClient {
  request(options: { method?: HttpMethod; path: string; body?: unknown; idempotent?: boolean; signal?: AbortSignal; retry?: { limit?: number } }): Promise<unknown>;
}

/** See `GenesysClient.authenticate`. */
export async function authenticate(
  client: AuthenticatingClient,
  mint: (signal: AbortSignal | undefined) => Promise<{ expiresAt: string | undefined }>,
  options: AuthenticateOptions | undefined,
): Promise<AuthenticateResult> {
  const { checks = [], signal } = parseOptions(Schema, options === undefined ? {} : options, 'GenesysClient.authenticate() options');
  // Credential problems throw (AuthenticationError): nothing else can be checked without a token.
  const token = await mint(signal);
  const all = probes(clockOf(client).now());
  const results: AuthCheckResult[] = [];
  for (const check of [...new Set(checks)]) {
    const probe = all[check];
    try {
      await client.request({ method: probe.method, path: probe.path, body: probe.body, idempotent: true, signal, retry: { limit: 1 } });
      results.push({ check, ok: true, endpoint: probe.shown, status: 200, missingPermissions: [], needs: probe.needs, message: 'ok' });
    } catch (e) {
      if (e instanceof NotFoundError) {
        results.push({ check, ok: true, endpoint: probe.shown, status: 404, missingPermissions: [], needs: probe.needs, message: 'ok (the permission passed; the probe id does not exist)' });
      } else if (e instanceof PermissionDeniedError) {
        const missing = e.permissions.length > 0 ? e.permissions : probe.needs;
        results.push({
          check,
          ok: false,
          endpoint: probe.shown,
          status: 403,
          missingPermissions: e.permissions,
          needs: probe.needs,
          message: `missing permission(s) ${missing.join(', ')}: add them to a role of the OAuth client`,
        });
      } else if (e instanceof ApiError) {
        results.push({ check, ok: false, endpoint: probe.shown, status: e.status, missingPermissions: [], needs: probe.needs, message: e.message });
      } else if (e instanceof GcError && !(e.name === 'AbortError')) {
        results.push({ check, ok: false, endpoint: probe.shown, status: undefined, missingPermissions: [], needs: probe.needs, message: e.message });
      } else {
        throw e;
      }
    }
  }
  return { ok: results.every((r) => r.ok), tokenExpiresAt: token.expiresAt, checks: results };
}
