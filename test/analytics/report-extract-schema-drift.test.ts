import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { JOBS, collect, dayInterval, fastReports, fastClient, useSimulatedOrg, viaOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg();

/** Job results whose conversations lose fields, as when the platform or an Architect flow changes. */
function drift(): void {
  let n = 0;
  server.use(
    http.get(`${sim.apiBaseUrl}${JOBS}/:jobId/results`, ({ request }) =>
      viaOrg(sim, request, (body) => {
        for (const c of (body.conversations ?? []) as Array<Record<string, unknown>>) {
          n++;
          if (n % 3 === 0) delete c.originatingDirection;
          if (n === 7) delete c.divisionIds;
        }
      }),
    ),
  );
}

describe('schema drift: missing fields become null, one warning per new missing field', () => {
  it('default projection: nulls, and exactly one schema-drift warning per missing column', async () => {
    drift();
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval: dayInterval(sim, 1), attributes: ['customerTier', 'casePriority'], pageSize: 25 });
    const rows = await collect(extraction);
    expect(rows.length).toBeGreaterThan(100);

    const drifts = warnings.filter((w) => w.code === 'schema-drift');
    expect(drifts.map((w) => w.details?.field).sort()).toEqual(['attr_casePriority', 'divisionIds', 'originatingDirection']);
    expect(extraction.summary.driftFields.sort()).toEqual(['attr_casePriority', 'divisionIds', 'originatingDirection']);
    expect(rows.filter((r) => r.originatingDirection === null).length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.divisionIds === null)).toHaveLength(1);
    expect(rows.every((r) => r.attr_casePriority === null)).toBe(true);
    expect(rows.every((r) => ['gold', 'silver', 'bronze'].includes(r.attr_customerTier as string))).toBe(true);
    expect(rows.every((r) => Object.values(r).every((v) => v !== undefined))).toBe(true);
    await client.close();
  });

  it('custom projection: a field returned as undefined is the same signal', async () => {
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const rows = await collect(
      fastReports(client).extract({
        interval: dayInterval(sim, 1),
        project: (c) => ({ id: c.conversationId, tag: c.externalTag, priority: (c as Record<string, unknown>).casePriority as string | undefined }),
      }),
    );
    expect(rows.every((r) => r.tag === null && r.priority === null)).toBe(true);
    expect(warnings.filter((w) => w.code === 'schema-drift').map((w) => w.details?.field)).toEqual(['tag', 'priority']);
    await client.close();
  });
});
