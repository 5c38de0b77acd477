/**
 * Fault injection with its own seeded generator, so a run with the same seed and the same request order meets the
 * same faults. Every eligible request draws the same four numbers whatever the rates are, so changing one rate does
 * not shift when the other faults happen.
 */
import { parseFaults, SimulatorOptionsError, type FaultOptions, type ResolvedFaults } from '../engine/options';
import { expected } from '../../internal/parse-options';
import { Rng, unit, unit3 } from '../data/rng';
import { STREAM } from '../data/streams';

/** What an error storm does to one request: a 5xx status, or a dropped connection. */
export type StormFailure = { kind: 'status'; status: number } | { kind: 'reset' };

export interface RequestFaults {
  reset: boolean;
  serverError: number | undefined;
  slowMs: number;
}

export type JobOutcome = 'FULFILLED' | 'FAILED' | 'EXPIRED';

/** What a page-numbered route should do to page `pageNumber` (`emptyPageAt` / `shortPageAt`). */
export type PageFault = { kind: 'empty' } | { kind: 'short'; keep: number | undefined } | undefined;

export class Faults {
  private current: ResolvedFaults;
  private rng: Rng;
  private stormSetAt: number;
  private stormLeft: number | undefined;
  /** Faulty answers left for emptyPageAt / shortPageAt (undefined = unlimited). */
  private emptyLeft: number | undefined;
  private shortLeft: number | undefined;
  /** Evaluation GETs seen: the key of each one's wrong-body draw. */
  private bodySeq = 0;
  private errorStormSetAt: number;
  /** Requests an error storm has judged: the key of each one's draw. */
  private errorStormSeq = 0;

  constructor(
    private readonly seed: number,
    initial: ResolvedFaults,
    now: number,
  ) {
    this.current = initial;
    this.rng = Rng.of(seed, STREAM.faults);
    this.stormSetAt = now;
    this.stormLeft = initial.storm?.forRequests;
    this.errorStormSetAt = now;
    this.emptyLeft = initial.emptyPageAt?.times;
    this.shortLeft = initial.shortPageAt?.times;
  }

  get options(): ResolvedFaults {
    return this.current;
  }

  /** Merges a partial update; a new `storm` starts counting from now. */
  set(partial: FaultOptions, now: number): void {
    // `{ ...null }` is `{}`: without this, setFaults(null) or setFaults('x') was accepted as "no change".
    if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
      throw new SimulatorOptionsError('simulated org faults', [{ path: '', message: expected('an object of faults such as { serverErrorRate: 0.1 }', partial), code: 'invalid_type' }]);
    }
    const next = parseFaults({ ...this.current, ...partial });
    if ('storm' in partial) {
      this.stormSetAt = now;
      this.stormLeft = next.storm?.forRequests;
    }
    if ('errorStorm' in partial) this.errorStormSetAt = now;
    if ('emptyPageAt' in partial) this.emptyLeft = next.emptyPageAt?.times;
    if ('shortPageAt' in partial) this.shortLeft = next.shortPageAt?.times;
    this.current = next;
  }

  /** Back to the initial faults and the start of the fault sequence. */
  reset(initial: ResolvedFaults, now: number): void {
    this.current = initial;
    this.rng = Rng.of(this.seed, STREAM.faults);
    this.stormSetAt = now;
    this.stormLeft = initial.storm?.forRequests;
    this.errorStormSetAt = now;
    this.errorStormSeq = 0;
    this.emptyLeft = initial.emptyPageAt?.times;
    this.shortLeft = initial.shortPageAt?.times;
    this.bodySeq = 0;
  }

  applies(path: string): boolean {
    const only = this.current.only;
    return only.length === 0 || only.some((p) => path.startsWith(p));
  }

  /** Retry-After seconds if a storm answers this request, and uses up one storm request. */
  storm(now: number): number | undefined {
    const s = this.current.storm;
    if (!s) return undefined;
    const ended =
      (s.untilMs !== undefined && now >= s.untilMs) ||
      (s.forMs !== undefined && now >= this.stormSetAt + s.forMs) ||
      (this.stormLeft !== undefined && this.stormLeft <= 0);
    if (ended) return undefined;
    if (this.stormLeft !== undefined) this.stormLeft--;
    return s.retryAfterSeconds;
  }

  /**
   * `errorStorm` for one request: how it fails, or undefined (no storm, the storm ended, or this request is spared).
   * Drawn from its own keyed stream (seed, request number), so it does not move the other faults.
   */
  errorStorm(now: number): StormFailure | undefined {
    const s = this.current.errorStorm;
    if (!s) return undefined;
    if ((s.untilMs !== undefined && now >= s.untilMs) || (s.forMs !== undefined && now >= this.errorStormSetAt + s.forMs)) return undefined;
    const seq = this.errorStormSeq++;
    if (unit(this.seed, STREAM.errorStorm, seq, 1) >= s.rate) return undefined;
    if (unit(this.seed, STREAM.errorStorm, seq, 2) < s.resetShare) return { kind: 'reset' };
    return { kind: 'status', status: s.statuses[Math.floor(unit(this.seed, STREAM.errorStorm, seq, 3) * s.statuses.length)]! };
  }

  draw(): RequestFaults {
    const f = this.current;
    const r1 = this.rng.next();
    const r2 = this.rng.next();
    const r3 = this.rng.next();
    const r4 = this.rng.next();
    return {
      reset: r1 < f.connectionResetRate,
      serverError: r2 < f.serverErrorRate ? f.serverErrorStatuses[Math.floor(r4 * f.serverErrorStatuses.length)] : undefined,
      slowMs: r3 < f.slowRate ? f.slowDelayMs : 0,
    };
  }

  /** `emptyPageAt` / `shortPageAt` for this page of a page-numbered route; uses up one of their `times`. */
  pageFault(pageNumber: number): PageFault {
    const f = this.current;
    if (f.emptyPageAt && f.emptyPageAt.page === pageNumber && (this.emptyLeft === undefined || this.emptyLeft > 0)) {
      if (this.emptyLeft !== undefined) this.emptyLeft--;
      return { kind: 'empty' };
    }
    if (f.shortPageAt && f.shortPageAt.page === pageNumber && (this.shortLeft === undefined || this.shortLeft > 0)) {
      if (this.shortLeft !== undefined) this.shortLeft--;
      return { kind: 'short', keep: f.shortPageAt.keep };
    }
    return undefined;
  }

  /**
   * `wrongBodyRate` for one evaluation GET: the kind of wrong body, or undefined. Drawn from its own keyed stream
   * (seed, request number), so it does not move the other faults.
   */
  wrongBody(): 'other' | 'stub' | undefined {
    const r = unit3(this.seed, STREAM.wrongBody, this.bodySeq++);
    return r < this.current.wrongBodyRate ? this.current.wrongBody : undefined;
  }

  /** Decided once per job from its sequence number, so the same job always ends the same way. */
  jobOutcome(jobSeq: number): JobOutcome {
    const r = unit(this.seed, STREAM.jobs, jobSeq, 1);
    const f = this.current;
    if (r < f.jobFailureRate) return 'FAILED';
    if (r < f.jobFailureRate + f.jobExpiryRate) return 'EXPIRED';
    return 'FULFILLED';
  }
}
