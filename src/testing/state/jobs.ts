/**
 * Async details jobs as a state machine driven by the org's clock: QUEUED for `queuedMs`, PENDING for `pendingMs`,
 * then the outcome decided at submission (FULFILLED, or FAILED / EXPIRED by fault rates). DELETE makes a job
 * CANCELLED; any job is EXPIRED after its `expirationDate`. State is computed on read, so fake timers drive it
 * without any timers of our own.
 */
import type { JobOutcome } from '../faults/faults';
import type { Selection } from '../oracle/query';
import { uuidFor } from '../data/rng';
import { ID_KIND } from '../data/streams';

export type JobState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

export interface Job {
  id: string;
  seq: number;
  selection: Selection;
  limit: number | undefined;
  /** Snapshot at submission: results stay consistent while the live date moves. */
  dataAvailabilityDate: number;
  submittedAt: number;
  outcome: JobOutcome;
  cancelledAt?: number;
  /** The `jobMissShare` fault as it stood at submission (0 or absent: the results are complete). */
  missShare?: number;
}

export interface JobTiming {
  queuedMs: number;
  pendingMs: number;
  ttlMs: number;
}

export const JOB_FAILED_MESSAGE = 'The job failed to complete. Resubmit the query, or split its interval.';

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private seq = 0;
  private generation = 0;

  constructor(
    private readonly seed: number,
    private readonly timing: JobTiming,
  ) {}

  get nextSeq(): number {
    return this.seq;
  }

  submit(init: Omit<Job, 'id' | 'seq'>): Job {
    const seq = this.seq++;
    const job: Job = { ...init, seq, id: uuidFor(this.seed, ID_KIND.job, this.generation, seq) };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id.toLowerCase());
  }

  doneAt(job: Job): number {
    return job.submittedAt + this.timing.queuedMs + this.timing.pendingMs;
  }

  expiresAt(job: Job): number {
    return job.submittedAt + this.timing.ttlMs;
  }

  state(job: Job, now: number): { state: JobState; completedAt?: number } {
    if (job.cancelledAt !== undefined) return { state: 'CANCELLED', completedAt: job.cancelledAt };
    const done = this.doneAt(job);
    if (now >= this.expiresAt(job)) return { state: 'EXPIRED', completedAt: Math.min(done, this.expiresAt(job)) };
    if (now < job.submittedAt + this.timing.queuedMs) return { state: 'QUEUED' };
    if (now < done) return { state: 'PENDING' };
    return { state: job.outcome, completedAt: done };
  }

  cancel(job: Job, now: number): void {
    job.cancelledAt ??= now;
  }

  /** Jobs not yet in a terminal state (for a concurrency view in tests). */
  running(now: number): number {
    let n = 0;
    for (const j of this.jobs.values()) {
      const s = this.state(j, now).state;
      if (s === 'QUEUED' || s === 'PENDING') n++;
    }
    return n;
  }

  clear(): void {
    this.jobs.clear();
    this.seq = 0;
    this.generation++;
  }
}
