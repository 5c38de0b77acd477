import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { GcError } from '../../src/index';
import { paginateByNextUri } from '../../src/transport/paginate';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('nextUri paging', () => {
  it('follows relative nextUris on the API host', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/users`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('pageNumber') ?? '1');
        return HttpResponse.json({
          entities: page <= 2 ? [{ id: `u${page}` }] : [],
          nextUri: page < 3 ? `/api/v2/users?pageNumber=${page + 1}` : undefined,
        });
      }),
    );
    const client = makeClient();
    const ids: string[] = [];
    const pages = paginateByNextUri(
      async (uri) => {
        const r = await client.request<{ entities: { id: string }[]; nextUri?: string }>({ path: uri });
        return { items: r.entities, nextUri: r.nextUri };
      },
      '/api/v2/users?pageNumber=1',
      client.apiBaseUrl,
    );
    for await (const p of pages) ids.push(...p.items.map((u) => u.id));
    expect(ids).toEqual(['u1', 'u2']);
    await client.close();
  });

  it('refuses a nextUri to another host, so the token never leaves the API host', async () => {
    let leaked = false;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/users`, () => HttpResponse.json({ entities: [{ id: 'u1' }], nextUri: 'https://evil.example.com/api/v2/users?pageNumber=2' })),
      http.get('https://evil.example.com/*', () => {
        leaked = true;
        return HttpResponse.json({});
      }),
    );
    const client = makeClient();
    const pages = paginateByNextUri(
      async (uri) => {
        const r = await client.request<{ entities: { id: string }[]; nextUri?: string }>({ path: uri });
        return { items: r.entities, nextUri: r.nextUri };
      },
      '/api/v2/users',
      client.apiBaseUrl,
    );
    await expect(async () => {
      for await (const _ of pages) void _;
    }).rejects.toThrow(GcError);
    // The client itself refuses foreign absolute URLs too.
    await expect(client.request({ path: 'https://evil.example.com/api/v2/x' })).rejects.toThrow(/Refusing/);
    expect(leaked).toBe(false);
    await client.close();
  });
});
