/**
 * The simulated org of the legal-hold tests, in a file without imports: helpers.ts (in the test process) and
 * kill-worker.ts (a child process that cannot resolve the package aliases) build the same org from it.
 */
export const ANCHOR = Date.parse('2026-12-01T00:00:00Z');
/** One day of the small org: about 20 conversations, all media types. */
export const DAY = '2026-11-30T00:00:00Z/2026-12-01T00:00:00Z';

/** Server options (the org's `now` is added by the caller). */
export const SERVER_OPTIONS = { seed: 21, anchor: ANCHOR, days: 2, conversationsPerDay: 20, rateLimit: false, transcodingPolls: 0 } as const;
/** Client options (the clock is added by the caller). */
export const CLIENT_OPTIONS = { rateLimit: { requestsPerMinute: 100_000 }, retry: { baseDelayMs: 1, maxDelayMs: 5 } } as const;
/** Legal-hold simulation options. */
export const SIM_OPTIONS = { recordingBytes: 40_000, batchPolls: 2 } as const;
