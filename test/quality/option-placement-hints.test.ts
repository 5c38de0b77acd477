import { describe, expect, it } from 'vitest';
import { QualityExporter, ValidationError } from '@org/gc-data';
import { collect, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ days: 1, rateLimit: false });
const interval = '2026-05-31T00:00:00Z/2026-06-01T00:00:00Z';

describe('option errors say where an option belongs, or what was meant', () => {
  it('a constructor option passed per call names the constructor; a typo gets a did-you-mean; nothing is sent', async () => {
    const client = sim.client();
    const exporter = new QualityExporter(client);
    const err = (await collect(exporter.rows({ interval, evaluationStatus: 'Finished', filter: {} } as never)).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    const by = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(by.evaluationStatus).toBe('"evaluationStatus" is not an option here: it belongs to the exporter: new QualityExporter(client, { evaluationStatus })');
    expect(by.filter).toBe('unknown key "filter": did you mean "filters"?');
    expect(err.message).not.toMatch(/check its spelling|Invalid input|Unrecognized key/);
    expect(client.stats().requests).toBe(0);
  });
});
