/**
 * What a command's run cost, for its summary: requests sent and 429s waited out (deltas of `client.stats()`, which
 * the transport counts) and the time taken on the client's clock (a test on a fake clock gets exact durations,
 * test/cli/clock.test.ts).
 */
import type { GenesysClient } from '../client';
import { count, seconds } from './output';

export interface RunCost {
  requests: number;
  rateLimited: number;
  durationMs: number;
}

/** Starts measuring now; `end()` is the cost since. */
export function measureRun(client: GenesysClient): { end(): RunCost } {
  const before = client.stats();
  const started = client.clock.now();
  return {
    end() {
      const after = client.stats();
      return { requests: after.requests - before.requests, rateLimited: after.rateLimited - before.rateLimited, durationMs: client.clock.now() - started };
    },
  };
}

/** The summary's `requests` and `duration` lines. */
export function costLines(cost: RunCost): Array<[string, string]> {
  return [
    ['requests', `${count(cost.requests)}, ${count(cost.rateLimited)} 429(s) waited out`],
    ['duration', seconds(cost.durationMs)],
  ];
}
