import { describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '@org/gc-data';
import { stubClient } from '../support/stub-fetch';

/** A client whose token endpoint answers 200 with `body`. */
const clientWithTokenBody = (body: string) =>
  stubClient({ token: () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }) }).client;

describe('a 200 from the token endpoint that is not a token', () => {
  it.each([
    ['not JSON', '<html>maintenance</html>', ''],
    ['no access_token', JSON.stringify({ expires_in: 3600 }), 'access_token'],
    ['expires_in a string', JSON.stringify({ access_token: 'tok-123456', expires_in: 'soon' }), 'expires_in'],
  ])('%s: UnexpectedResponseError through the one decode path, naming the field, never the secret', async (_, body, field) => {
    const client = clientWithTokenBody(body);
    const err = await client.request({ path: '/api/v2/users/me' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    const e = err as UnexpectedResponseError;
    expect(e.method).toBe('POST');
    expect(e.status).toBe(200);
    expect(e.issues.map((i) => i.path)).toContain(field);
    expect(JSON.stringify({ message: e.message, issues: e.issues })).not.toContain('secret-abcdef');
  });
});
