/**
 * POST /oauth/token: client credentials only, sent as `Authorization: Basic` with the form body
 * `grant_type=client_credentials` (docs/platform-notes.md section a). Error bodies follow RFC 6749 (`error`,
 * `error_description`) plus the `description` field Genesys' login service is reported to send (unverified).
 * Order of checks: rate limit (per presented client id), credentials (401), grant type (400).
 */
import { parseBasic } from '../engine/auth';
import type { OrgCore } from '../engine/context';
import { errorBody, json } from '../engine/http';
import { RATE_LIMIT_CODE, TokenBucket, rateLimitHeaders, rateLimitMessage } from '../faults/rate-limit';
import type { SimTokenResponse } from '../data/types';

const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, description, error_description: description });

export class TokenEndpoint {
  private readonly buckets = new Map<string, TokenBucket>();

  async handle(org: OrgCore, request: Request, correlationId: string): Promise<Response> {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const now = org.now();
    const basic = parseBasic(request.headers.get('authorization'));
    const limit = org.options.tokenRateLimit;
    let headers: Record<string, string> = {};
    if (limit && basic) {
      let bucket = this.buckets.get(basic.id);
      if (!bucket) this.buckets.set(basic.id, (bucket = new TokenBucket(limit, now)));
      const r = bucket.take(now);
      headers = rateLimitHeaders(r);
      if (!r.allowed) {
        org.stats.rateLimitedBy('tokenEndpoint');
        return json(429, errorBody(429, RATE_LIMIT_CODE, rateLimitMessage(r.retryAfterSeconds), correlationId), headers);
      }
    }
    const res = await this.issue(org, request, basic, now);
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  }

  private async issue(org: OrgCore, request: Request, basic: ReturnType<typeof parseBasic>, now: number): Promise<Response> {
    const { clientId, clientSecret, tokenTtlSeconds } = org.options;
    if (!basic) return oauthError(401, 'invalid_client', 'client authentication is required (HTTP Basic)');
    if (basic.id !== clientId || basic.secret !== clientSecret) return oauthError(401, 'invalid_client', 'authentication failed');
    const form = new URLSearchParams(await request.text());
    const grant = form.get('grant_type');
    if (!grant) return oauthError(400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `grant type '${grant}' is not supported`);
    const token = org.tokens.issue(clientId, now);
    org.stats.tokensIssued++;
    const body: SimTokenResponse = { access_token: token.token, token_type: 'bearer', expires_in: tokenTtlSeconds };
    return json(200, body);
  }

  clear(): void {
    this.buckets.clear();
  }
}
