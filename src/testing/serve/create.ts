/** `createSimulatedOrg`: the org, its msw handlers, its data, counters and ground truth in one object. */
import type { HttpHandler } from 'msw';
import { dataView, type SimulatedData } from '../data/data-view';
import type { HandleResult } from '../engine/http';
import { mswHandlers } from './msw';
import type { FaultOptions, ResolvedOptions, SimulatedOrgOptions } from '../engine/options';
import { SimulatedOrg } from '../engine/org';
import type { SimStats } from '../engine/stats';
import { createTruth, type Truth } from '../oracle/truth';

export interface SimulatedOrgHandle {
  /** For `setupServer(...org.handlers)`. */
  handlers: HttpHandler[];
  /** The engine behind the handlers (also what startSimulatedServer serves). */
  org: SimulatedOrg;
  data: SimulatedData;
  stats: SimStats;
  truth: Truth;
  options: ResolvedOptions;
  /** The credentials and base URLs a client needs. */
  clientId: string;
  clientSecret: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  /** Answer one WHATWG Request (RESET = drop the connection). */
  handle(request: Request): Promise<HandleResult>;
  /** Clears tokens, jobs, custom attributes, annotations, transcoding polls, faults (to the initial ones), stats, and rewinds advance(). */
  reset(): void;
  /** Changes faults from now on (partial; `storm` restarts its count). */
  setFaults(faults: FaultOptions): void;
  /** Invalidates every issued token now; returns how many were live. */
  expireTokens(): number;
  /** A valid bearer token without calling /oauth/token. */
  issueToken(): string;
  /** Pins the data availability date; `undefined` returns to the default (now - lag). */
  setDataAvailabilityDate(date: number | string | Date | undefined): void;
  /** The org's clock. */
  now(): number;
  /**
   * Moves the org's time (clock and data) forward by an ISO-8601 duration (`'P2D'`) or ms: evaluations are created,
   * finished, released, rescored, retracted and deleted after their conversation; `truth` shows the state at the new
   * time. Deterministic from the seed. Returns the total time advanced (ms).
   */
  advance(duration: number | string): number;
  /** Total time advanced since creation or the last reset() (ms). */
  elapsed(): number;
}

export function createSimulatedOrg(options: SimulatedOrgOptions = {}): SimulatedOrgHandle {
  const org = new SimulatedOrg(options);
  return {
    handlers: mswHandlers(org),
    org,
    data: dataView(org.data),
    stats: org.stats,
    truth: createTruth(org),
    options: org.options,
    clientId: org.options.clientId,
    clientSecret: org.options.clientSecret,
    apiBaseUrl: new URL(org.options.apiBaseUrl).origin,
    authBaseUrl: new URL(org.options.authBaseUrl).origin,
    handle: (r) => org.handle(r),
    reset: () => org.reset(),
    setFaults: (f) => org.setFaults(f),
    expireTokens: () => org.expireTokens(),
    issueToken: () => org.issueToken(),
    setDataAvailabilityDate: (d) => org.setDataAvailabilityDate(d),
    now: () => org.now(),
    advance: (d) => org.advance(d),
    elapsed: () => org.elapsed(),
  };
}
