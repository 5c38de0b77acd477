/**
 * What an extract checkpoint file holds, as a schema checked on load (extract-checkpoint.ts reads and writes it;
 * the runner's common fields are src/sinks/resumable-run.ts's).
 */
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';

/** One split-interval unit of a window's work: `[s, e)` at split depth `d`, with rows to skip after a resubmission. */
const UnitStateSchema = lazySchema(() =>
  z.object({
    s: z.number(),
    e: z.number(),
    d: z.number().int().min(0),
    skip: z.object({ beforeMs: z.number(), ids: z.array(z.string()) }).optional(),
    /** Times a job for exactly this interval ended FAILED (the resubmit budget; job-runner.ts). */
    f: z.number().int().min(0).optional(),
  }),
);

const ActiveJobSchema = lazySchema(() =>
  UnitStateSchema.extend({
    id: z.string(),
    submittedAt: z.number(),
    cursor: z.string().optional(),
    rows: z.number().int().min(0),
    resubmits: z.number().int().min(0),
    lastStart: z.number().optional(),
    lastIds: z.array(z.string()).optional(),
  }),
);

const WindowStateSchema = lazySchema(() =>
  z.object({
    pending: z.array(UnitStateSchema),
    job: ActiveJobSchema.optional(),
    owned: z.number().int().min(0),
  }),
);

/**
 * What an extract checkpoint holds (checked on load, so a hand-edited or foreign file is refused clearly): the
 * resumable runner's fields (src/sinks/resumable-run.ts) and the extract's windows. A version-1 state (before
 * issue 17: `key` instead of `fingerprint`, the same text) is read as version 2.
 */
export const ExtractCheckpointState = lazySchema(() =>
  z.preprocess(
    (raw) => {
      if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return raw;
      const { key, ...rest } = raw as Record<string, unknown>;
      return { ...rest, v: 2, fingerprint: key };
    },
    z.object({
      v: z.literal(2),
      /** Canonical JSON of interval, query, chunk and availability options: another extract's checkpoint is refused. */
      fingerprint: z.string(),
      /** Rows handed out (or written to the exportTo sink) when saved: cut a resumed sink back to this. */
      rows: z.number().int().min(0),
      sinks: z.record(z.string(), z.number().int().min(0)).optional(),
      finished: z.boolean().optional(),
      plan: z.object({
        startMs: z.number(),
        endMs: z.number(),
        jobEndMs: z.number(),
        dataAvailabilityDate: z.string().optional(),
        tail: z.object({ queryStartMs: z.number(), fromMs: z.number(), toMs: z.number() }).optional(),
      }),
      windowsTotal: z.number().int().min(0),
      /** Finished windows as inclusive index ranges. */
      done: z.array(z.tuple([z.number().int(), z.number().int()])),
      active: z.record(z.string(), WindowStateSchema),
      tail: z.object({ nextPage: z.number().int().min(1), done: z.boolean() }).optional(),
      /** Conversations that reach past their job's interval, by id, with their end (null = unknown): the cross-window dedupe set. */
      spanners: z.array(z.tuple([z.string(), z.number().nullable()])),
      duplicates: z.number().int().min(0),
    }),
  ),
);
export type ExtractCheckpointState = z.infer<typeof ExtractCheckpointState>;
export type WindowState = z.infer<typeof WindowStateSchema>;
export type UnitState = z.infer<typeof UnitStateSchema>;
export type ActiveJobState = z.infer<typeof ActiveJobSchema>;
