import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@org/gc-data';
import { stubClient } from '../support/stub-fetch';

const recordingClient = () => stubClient({ client: { rateLimit: { requestsPerMinute: 10_000_000, burst: 1_000_000 } } });

/** One bad field each, with the path the error must name. */
const bad: Array<[string, Record<string, unknown>]> = [
  ['method', { method: 'FETCH' }],
  ['method', { method: 42 }],
  ['path', { path: 42 }],
  ['path', { path: '' }],
  ['timeoutMs', { timeoutMs: 0 }],
  ['timeoutMs', { timeoutMs: Number.NaN }],
  ['deadlineMs', { deadlineMs: -5 }],
  ['idempotent', { idempotent: 'yes' }],
  ['signal', { signal: { aborted: false } }],
  ['query.x', { query: { x: { nested: true } } }],
  ['query.x[0]', { query: { x: [{ a: 1 }] } }],
  ['query.n', { query: { n: Number.POSITIVE_INFINITY } }],
  ['headers.x-a', { headers: { 'x-a': 5 } }],
  ['schema', { schema: { parse: () => 1 } }],
  ['body', { body: 10n }],
  ['sigal', { sigal: new AbortController().signal }],
];

describe('client.request() validates its options before a token is minted', () => {
  it.each(bad)('a bad %s is a ValidationError naming it, with 0 requests', async (path, patch) => {
    const { client, sent } = recordingClient();
    const err = (await client.request({ path: '/api/v2/users', ...patch } as never).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => i.path)).toContain(path);
    expect(sent).toHaveLength(0);
    await client.close();
  });

  it('a cyclic body is a ValidationError at body', async () => {
    const { client, sent } = recordingClient();
    const body: Record<string, unknown> = {};
    body.self = body;
    const err = (await client.request({ method: 'POST', path: '/api/v2/x', body }).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]?.path).toBe('body');
    expect(sent).toHaveLength(0);
    await client.close();
  });

  it('a method in any casing is sent as the platform spells it', async () => {
    const { client, sent } = recordingClient();
    await expect(client.request({ method: 'get' as never, path: '/api/v2/users' })).resolves.toEqual({ ok: true });
    expect(sent.at(-1)).toBe('https://api.example.test/api/v2/users');
    await client.close();
  });

  it('property: generated malformed options never send a request and always fail with a ValidationError', async () => {
    const { client, sent } = recordingClient();
    const junk = fc.oneof(fc.constant(null), fc.constant(Number.NaN), fc.integer({ min: -10, max: 0 }), fc.object(), fc.array(fc.object(), { minLength: 1, maxLength: 2 }), fc.constant(() => 1), fc.constant(Symbol('s')));
    const key = fc.constantFrom('method', 'path', 'timeoutMs', 'deadlineMs', 'idempotent', 'signal', 'query', 'headers', 'schema');
    await fc.assert(
      fc.asyncProperty(key, junk, async (k, v) => {
        const err = await client.request({ path: '/api/v2/users', [k]: v } as never).then(() => undefined, (e: unknown) => e);
        // A few generated values are valid (an empty object for query or headers): those may be sent.
        if (err === undefined) return;
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).issues.some((i) => i.path === k || i.path.startsWith(`${k}.`) || i.path.startsWith(`${k}[`))).toBe(true);
      }),
      { seed: 1206, numRuns: 400 },
    );
    const validSent = sent.filter((u) => !u.endsWith('/oauth/token'));
    expect(validSent.every((u) => u === 'https://api.example.test/api/v2/users')).toBe(true);
    await client.close();
  });
});
