import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedServer, type SimulatedServer, type StatsSnapshot } from '../../src/testing/index';

let sim: SimulatedServer;
beforeAll(async () => {
  sim = await startSimulatedServer({ seed: 3 });
});
afterAll(() => sim.close());

describe('control routes', () => {
  it('are not platform traffic: not counted in stats', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${sim.url}/__sim/stats`)).status).toBe(200);
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as StatsSnapshot;
    expect(stats.totalRequests).toBe(0);
    expect(Object.keys(stats.byRoute)).toEqual([]);

    await fetch(`${sim.url}/api/v2/analytics/conversations/details/jobs/availability`);
    const after = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as StatsSnapshot;
    expect(after.totalRequests).toBe(1);
  });
});
