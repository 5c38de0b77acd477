import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, runCli, startOrg, type Org } from './helpers';

let org: Org;
beforeAll(async () => {
  org = await startOrg();
});
afterAll(() => org?.close());

describe('progress flags', () => {
  it.each([
    [['--progress', 'fancy'], /--progress fancy: use auto, bar, lines or off/],
    [['--progress-interval', '0'], /--progress-interval must be at least 0.1 second \(got 0 ms\)/],
  ])('%j is exit 2, named, before any request', async (flags, message) => {
    const before = org.server.stats.snapshot().totalRequests;
    const r = await runCli(['export-evaluations', '--interval', DAY, '--out', '-', ...flags], { org });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(org.server.stats.snapshot().totalRequests).toBe(before);
  });
});
