import { describe, expect, it } from 'vitest';
import { QualityExporter } from '../../src/index';
import { collect, useSimulatedOrg } from '../support/sim';

// A 2-day org with 2 versions per form: the first day's conversations use v1, the second day's v2.
const sim = useSimulatedOrg({ forms: 1, formVersions: 2, days: 2, rateLimit: false });
const interval = '2026-05-30T00:00:00Z/2026-06-01T00:00:00Z';

describe('QualityExporter across form versions', () => {
  it('keyed by id, two versions give different score_ columns; keyed by contextId, the same ones', async () => {
    const exporter = new QualityExporter(sim.client({ rateLimit: { requestsPerMinute: 100_000, maxConcurrent: 10 } }), { concurrency: 10 });
    const byId = await collect(exporter.rows({ interval }));
    const formIds = new Set(byId.map((r) => r.form_id));
    expect(formIds.size).toBe(2);
    expect(new Set(byId.map((r) => r.form_context_id)).size).toBe(1);
    const columnsOf = (rows: typeof byId, formId: unknown) =>
      Object.keys(rows.find((r) => r.form_id === formId)!).filter((k) => k.startsWith('score_')).sort();
    const [v1, v2] = [...formIds];
    expect(columnsOf(byId, v1)).not.toEqual(columnsOf(byId, v2));

    const byContext = await collect(exporter.rows({ interval, flatten: { keyBy: 'contextId' } }));
    expect(columnsOf(byContext, v1)).toEqual(columnsOf(byContext, v2));
    expect(byContext.map((r) => r.evaluation_id)).toEqual(byId.map((r) => r.evaluation_id));
    // The raw answers are kept for JSONB columns, whatever the version.
    expect(JSON.parse(byContext[0]!.answers_json as string).questionGroupScores.length).toBeGreaterThan(0);
  });
});
