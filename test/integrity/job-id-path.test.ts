/**
 * Issue 16: ids are put into paths as one segment each. `reports.job('..')` resolved to another endpoint
 * (`.../details/jobs/..` is `.../details`); now an id that would not stay one segment is refused before any request,
 * and any other character is encoded.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ReportQueries, UnsafeRequestError } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false });

describe('job ids in paths', () => {
  for (const id of ['..', '.', 'a\nb', 'x\u0000']) {
    it(`reports.job(${JSON.stringify(id)}) is refused before any request`, () => {
      const client = sim.client();
      expect(() => new ReportQueries(client).job(id)).toThrow(UnsafeRequestError);
      expect(sim.org.stats.totalRequests).toBe(0);
    });
  }

  it('an id with a slash or a query character stays one segment (the platform answers 404 for it, not another endpoint)', async () => {
    const client = sim.client();
    for (const id of ['../availability', 'a/b', 'x?y=1', '%2e%2e']) {
      await expect(new ReportQueries(client).job(id).status()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(sim.org.stats.count('GET /api/v2/analytics/conversations/details/jobs/{jobId}', 404)).toBe(4);
    expect(sim.org.stats.count('GET /api/v2/analytics/conversations/details/jobs/availability')).toBe(0);
  });
});
