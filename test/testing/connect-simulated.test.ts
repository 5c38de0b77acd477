import { describe, expect, it } from 'vitest';
import { connectSimulated } from '../../src/testing/index';

describe('connectSimulated', () => {
  it('returns a client that talks to the started org, with client options applied, and close() stops both', async () => {
    const { client, server, close } = await connectSimulated({ server: { seed: 3 }, client: { userAgent: 'connect-test' } });
    const page = await client.request<{ dataAvailabilityDate?: string }>({ path: '/api/v2/analytics/conversations/details/jobs/availability' });
    expect(typeof page.dataAvailabilityDate).toBe('string');
    expect(server.stats.snapshot().tokensIssued).toBe(1);
    expect(client.options.userAgent).toBe('connect-test');
    await close();
    await expect(fetch(`${server.url}/oauth/token`, { method: 'POST' })).rejects.toThrow();
  });

  it('uses the credentials the org was started with', async () => {
    const { client, close } = await connectSimulated({ server: { clientId: 'other-id', clientSecret: 'other-secret' } });
    try {
      await expect(client.request({ path: '/api/v2/analytics/conversations/details/jobs/availability' })).resolves.toBeDefined();
    } finally {
      await close();
    }
  });
});
