import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, PermissionDeniedError, ValidationError } from '@org/gc-data';
import { API, LOGIN, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

const NIL = '00000000-0000-0000-0000-000000000000';

function missing403(permission: string) {
  return HttpResponse.json(
    {
      message: `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`,
      code: 'missing.permissions',
      status: 403,
      messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
      messageParams: { permissions: `[${permission}]` },
    },
    { status: 403, headers: { 'inin-correlation-id': 'corr-403' } },
  );
}

describe('client.authenticate()', () => {
  it('mints a token, then probes each named module and reports missing permissions by name', async () => {
    server.use(
      tokenEndpoint().handler,
      http.post(`${API}/api/v2/analytics/conversations/details/query`, () => HttpResponse.json({ totalHits: 0 })),
      http.get(`${API}/api/v2/quality/conversations/${NIL}/evaluations/${NIL}`, () => missing403('quality:evaluation:view')),
      http.get(`${API}/api/v2/conversations/${NIL}/recordingmetadata`, () => HttpResponse.json({ message: 'not found', code: 'not.found', status: 404 }, { status: 404 })),
      http.get(`${API}/api/v2/analytics/conversations/details/jobs/availability`, () => HttpResponse.json({ message: 'Forbidden', code: 'forbidden', status: 403 }, { status: 403 })),
    );
    const client = makeClient();
    const r = await client.authenticate({ checks: ['analytics', 'quality', 'media', 'REPORTS' as never] });
    expect(r.ok).toBe(false);
    expect(r.tokenExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const by = Object.fromEntries(r.checks.map((c) => [c.check, c]));
    expect(by.analytics).toMatchObject({ ok: true, status: 200 });
    expect(by.media).toMatchObject({ ok: true, status: 404 });
    expect(by.quality).toMatchObject({ ok: false, status: 403, missingPermissions: ['quality:evaluation:view'] });
    expect(by.quality?.message).toContain('quality:evaluation:view');
    // A 403 that names nothing reports what the module needs.
    expect(by.reports).toMatchObject({ ok: false, status: 403, missingPermissions: [], needs: ['analytics:conversationDetail:view'] });
    await client.close();
  });

  it('wrong credentials throw AuthenticationError; bad options are a ValidationError before any request', async () => {
    server.use(tokenEndpoint().handler);
    const bad = makeClient({ clientSecret: 'wrong-secret' });
    await expect(bad.authenticate()).rejects.toBeInstanceOf(AuthenticationError);
    await bad.close();
    const client = makeClient();
    const err = (await client.authenticate({ checks: ['quallity' as never] }).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]?.path).toBe('checks[0]');
    expect(client.stats().requests).toBe(0);
    await client.close();
  });
});

describe('token endpoint and permission errors', () => {
  it("the token endpoint's 429 is waited out for its Retry-After, then the token is minted", async () => {
    let tokenCalls = 0;
    const ok = tokenEndpoint();
    server.use(
      // The first token call gets a 429; later ones fall through (undefined) to the real token endpoint.
      http.post(`${LOGIN}/oauth/token`, () => {
        if (++tokenCalls === 1) return HttpResponse.json({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '1' } });
        return undefined;
      }),
      ok.handler,
      http.get(`${API}/api/v2/ping`, () => HttpResponse.json({ ok: true })),
    );
    const client = makeClient();
    const retries: Array<{ delayMs: number; status: number | undefined }> = [];
    client.on('retry', (e) => retries.push({ delayMs: e.delayMs, status: e.status }));
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    expect(tokenCalls).toBe(2);
    expect(ok.minted).toEqual(['token-1']);
    // Retry-After: 1 s is honoured (never shortened; up to 10% jitter on top).
    expect(retries[0]?.status).toBe(429);
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1_000);
    await client.close();
  });

  it('a 403 naming the permission is a PermissionDeniedError with permissions and a message that names it', async () => {
    server.use(tokenEndpoint().handler, http.get(`${API}/api/v2/quality/forms/evaluations`, () => missing403('quality:evaluationForm:view')));
    const client = makeClient();
    const err = (await client.request({ path: '/api/v2/quality/forms/evaluations' }).catch((e: unknown) => e)) as PermissionDeniedError;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.permissions).toEqual(['quality:evaluationForm:view']);
    expect(err.message).toContain('missing permission(s) quality:evaluationForm:view');
    expect(err.correlationId).toBe('corr-403');
    expect(err.toJSON()).toMatchObject({ permissions: ['quality:evaluationForm:view'] });
    await client.close();
  });
});
