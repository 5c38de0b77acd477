/**
 * Counters of what the simulated org saw and did. Tests assert on them (exactly-once, no storms amplified, pacing
 * kept the bucket from running dry); benchmarks report them. Routes are normalised templates such as
 * `GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}`.
 */

export interface FaultCounts {
  serverError: number;
  connectionReset: number;
  slow: number;
  storm: number;
  /** Requests failed by `errorStorm` (5xx or a dropped connection). */
  errorStorm: number;
  jobFailed: number;
  jobExpired: number;
  /** Pages answered `{}` by `emptyPageAt`. */
  emptyPage: number;
  /** Pages cut short by `shortPageAt`. */
  shortPage: number;
  /** Evaluation GETs answered with the wrong body (`wrongBodyRate`). */
  wrongBody: number;
  /** Job results pages answered empty with a cursor (`cursorLoop`). */
  cursorLoop: number;
  /** Responses whose body was dripped (`dripBodyMs`). */
  drip: number;
  /** Error responses that echoed the Authorization header (`echoAuthorization`). */
  echoAuthorization: number;
  /** Requests answered with a redirect (`redirectTo`). */
  redirect: number;
  /** Responses padded to `hugeBodyBytes`. */
  hugeBody: number;
}

export interface StatsSnapshot {
  totalRequests: number;
  /** route template -> status ("reset" for a dropped connection) -> count */
  byRoute: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
  /** 429s sent, by cause. */
  rateLimited: { limiter: number; storm: number; tokenEndpoint: number; total: number };
  /** /api/v2 requests that found their token's bucket empty (= the limiter's 429s). */
  bucketEmptyArrivals: number;
  faults: FaultCounts;
  tokensIssued: number;
  inFlight: number;
  peakConcurrency: number;
}

const zeroFaults = (): FaultCounts => ({
  serverError: 0,
  connectionReset: 0,
  slow: 0,
  storm: 0,
  errorStorm: 0,
  jobFailed: 0,
  jobExpired: 0,
  emptyPage: 0,
  shortPage: 0,
  wrongBody: 0,
  cursorLoop: 0,
  drip: 0,
  echoAuthorization: 0,
  redirect: 0,
  hugeBody: 0,
});

export class SimStats implements StatsSnapshot {
  totalRequests = 0;
  byRoute: Record<string, Record<string, number>> = {};
  byStatus: Record<string, number> = {};
  rateLimited = { limiter: 0, storm: 0, tokenEndpoint: 0, total: 0 };
  bucketEmptyArrivals = 0;
  faults: FaultCounts = zeroFaults();
  tokensIssued = 0;
  inFlight = 0;
  peakConcurrency = 0;

  begin(): void {
    this.totalRequests++;
    this.inFlight++;
    if (this.inFlight > this.peakConcurrency) this.peakConcurrency = this.inFlight;
  }

  end(route: string, status: number | 'reset'): void {
    this.inFlight--;
    const key = String(status);
    const r = (this.byRoute[route] ??= {});
    r[key] = (r[key] ?? 0) + 1;
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  rateLimitedBy(cause: 'limiter' | 'storm' | 'tokenEndpoint'): void {
    this.rateLimited[cause]++;
    this.rateLimited.total++;
  }

  /** Requests seen for a route template, optionally only those answered with `status`. */
  count(route: string, status?: number | 'reset'): number {
    const r = this.byRoute[route];
    if (!r) return 0;
    if (status !== undefined) return r[String(status)] ?? 0;
    return Object.values(r).reduce((a, b) => a + b, 0);
  }

  snapshot(): StatsSnapshot {
    return JSON.parse(
      JSON.stringify({
        totalRequests: this.totalRequests,
        byRoute: this.byRoute,
        byStatus: this.byStatus,
        rateLimited: this.rateLimited,
        bucketEmptyArrivals: this.bucketEmptyArrivals,
        faults: this.faults,
        tokensIssued: this.tokensIssued,
        inFlight: this.inFlight,
        peakConcurrency: this.peakConcurrency,
      }),
    ) as StatsSnapshot;
  }

  /** Zeroes every counter (requests still in flight stay counted in `inFlight`). */
  reset(): void {
    this.totalRequests = 0;
    this.byRoute = {};
    this.byStatus = {};
    this.rateLimited = { limiter: 0, storm: 0, tokenEndpoint: 0, total: 0 };
    this.bucketEmptyArrivals = 0;
    this.faults = zeroFaults();
    this.tokensIssued = 0;
    this.peakConcurrency = this.inFlight;
  }
}
