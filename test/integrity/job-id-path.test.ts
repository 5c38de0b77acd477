/**
 * Issue 16: ids are put into paths as one segment each. `reports.job('..')` resolved to another endpoint
 * (`.../details/jobs/..` is `.../details`). Issue 18: a job id that is not one plain segment (empty, `.`, `..`, a
 * slash, backslash, `?`, `#`, `%` or a control character) is bad input: a `ValidationError` naming `jobId` at the
 * call, before any request. Every other character is encoded by src/internal/api-path.ts.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ReportQueries, ValidationError } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false });

describe('job ids in paths', () => {
  for (const id of ['..', '.', 'a\nb', 'x\u0000', '../availability', 'a/b', 'x?y=1', '%2e%2e', 'a\\b', 'x#y']) {
    it(`reports.job(${JSON.stringify(id)}) is refused before any request, naming jobId`, () => {
      const client = sim.client();
      let err: unknown;
      try {
        new ReportQueries(client).job(id);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['jobId']);
      expect(sim.org.stats.totalRequests).toBe(0);
    });
  }

  it('an id with other characters stays one segment (the platform answers 404 for it, not another endpoint)', async () => {
    const client = sim.client();
    for (const id of ['a b', 'availability&x=1', 'ünïcode', 'a;b']) {
      await expect(new ReportQueries(client).job(id).status()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(sim.org.stats.count('GET /api/v2/analytics/conversations/details/jobs/{jobId}', 404)).toBe(4);
    expect(sim.org.stats.count('GET /api/v2/analytics/conversations/details/jobs/availability')).toBe(0);
  });
});
