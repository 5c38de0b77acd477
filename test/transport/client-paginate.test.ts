import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { IncompleteDataError, UnexpectedResponseError, UnsafeRequestError, ValidationError } from '@org/gc-data';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const users = Array.from({ length: 25 }, (_, i) => ({ id: `u${i + 1}`, name: `User ${i + 1}` }));

describe('client.paginate()', () => {
  it('pageNumber over GET: every item once, pageSize sent, checked against total', async () => {
    const seen: string[] = [];
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/users`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q.toString());
        const n = Number(q.get('pageNumber'));
        const size = Number(q.get('pageSize'));
        return HttpResponse.json({ entities: users.slice((n - 1) * size, n * size), total: users.length, pageCount: Math.ceil(users.length / size), pageNumber: n });
      }),
    );
    const client = makeClient();
    const got = await all(client.paginate<{ id: string }>({ path: '/api/v2/users', query: { state: 'active' } }, { style: 'pageNumber', pageSize: 10, itemSchema: z.object({ id: z.string() }) }));
    expect(got.map((u) => u.id)).toEqual(users.map((u) => u.id));
    expect(seen).toEqual(['state=active&pageNumber=1&pageSize=10', 'state=active&pageNumber=2&pageSize=10', 'state=active&pageNumber=3&pageSize=10']);
    await client.close();
  });

  it('pageNumber over POST puts paging in the body; a page short while total says more is an IncompleteDataError, not a quiet end', async () => {
    server.use(
      tokenEndpoint().handler,
      http.post(`${API}/api/v2/things/query`, async ({ request }) => {
        const body = (await request.json()) as { paging: { pageNumber: number; pageSize: number }; q: string };
        expect(body.q).toBe('x');
        const n = body.paging.pageNumber;
        // Page 2 always comes back short: 3 of 10, while totalHits says 25.
        const items = n === 2 ? users.slice(10, 13) : users.slice((n - 1) * 10, n * 10);
        return HttpResponse.json({ conversations: items, totalHits: 25 });
      }),
    );
    const client = makeClient();
    const err = await all(client.paginate({ method: 'POST', path: '/api/v2/things/query', body: { q: 'x' } }, { style: 'pageNumber', pageSize: 10, itemsKey: 'conversations' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteDataError);
    expect((err as IncompleteDataError).page).toBe(2);
    await client.close();
  });

  it('cursor style follows cursor until a page has none', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/stream`, ({ request }) => {
        const c = new URL(request.url).searchParams.get('cursor');
        const n = c === null ? 0 : Number(c.slice(1));
        return HttpResponse.json({ entities: users.slice(n * 10, n * 10 + 10), ...(n < 2 ? { cursor: `c${n + 1}` } : {}) });
      }),
    );
    const client = makeClient();
    expect((await all(client.paginate({ path: '/api/v2/stream' }, { style: 'cursor' }))).length).toBe(25);
    await client.close();
  });

  it('nextUri style follows relative URIs and refuses one to another origin', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/list`, ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('p') ?? '1');
        return HttpResponse.json({ entities: [users[n - 1]], nextUri: n === 1 ? '/api/v2/list?p=2' : n === 2 ? 'https://evil.example.com/api/v2/list?p=3' : undefined });
      }),
    );
    const client = makeClient();
    const got: unknown[] = [];
    const err = await (async () => {
      for await (const u of client.paginate({ path: '/api/v2/list' }, { style: 'nextUri' })) got.push(u);
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(2);
    expect(err).toBeInstanceOf(UnsafeRequestError);
    await client.close();
  });

  it('a bad item is an UnexpectedResponseError naming it; bad options are a ValidationError at the call', async () => {
    server.use(tokenEndpoint().handler, http.get(`${API}/api/v2/users`, () => HttpResponse.json({ entities: [{ id: 1 }], total: 1 })));
    const client = makeClient();
    const err = (await all(client.paginate({ path: '/api/v2/users' }, { style: 'pageNumber', itemSchema: z.object({ id: z.string() }) })).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.issues[0]?.path).toBe('entities[0].id');
    expect(() => client.paginate({ path: '/api/v2/users' }, { style: 'pages' as never })).toThrow(ValidationError);
    await client.close();
  });
});
