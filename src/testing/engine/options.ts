/**
 * Options of the simulated org, validated with zod so a typo (`ratelimit`) fails loudly instead of silently running
 * with defaults. Every default is written here once; docs/testing.md repeats them. Errors go through the SDK's one
 * validation helper (src/internal/parse-options.ts): a SimulatorOptionsError is a ValidationError whose `issues`
 * name each bad field at its exact path (`rateLimit.requests`, not `rateLimit`).
 */
import * as z from 'zod';
import { ValidationError, type ValidationIssue } from '../../errors';
import { expected, parseOptions } from '../../internal/parse-options';

/** Credentials the simulated org accepts unless told otherwise. */
export const SIM_CLIENT_ID = 'sim-client-id';
export const SIM_CLIENT_SECRET = 'sim-client-secret';
/** Hosts the msw handlers answer for (the platform's default region, `mypurecloud.com`). */
export const SIM_API_BASE_URL = 'https://api.mypurecloud.com';
export const SIM_AUTH_BASE_URL = 'https://login.mypurecloud.com';

const rate = (v: number) => z.number().min(0).max(1).default(v);
/** An instant: epoch ms, an ISO string or a Date, each a real time (checked here so the error names the field). */
const timeInput = z.union([
  z.number().refine((v) => Number.isFinite(v) && Math.abs(v) <= 8.64e15, 'must be epoch ms within the Date range'),
  z.string().max(100).refine((v) => Number.isFinite(Date.parse(v)), 'must be an ISO date-time'),
  z.date().refine((v) => Number.isFinite(v.getTime()), 'must be a valid Date'),
]);

const rateLimitSchema = z
  .object({
    /** Requests allowed per window (the bucket's refill over one window). */
    requests: z.number().int().positive(),
    windowMs: z.number().int().positive(),
    /** Bucket capacity; defaults to `requests` (a full window's worth may be sent at once). Bucket model only. */
    burst: z.number().int().positive().optional(),
    /** Limiter model (../faults/rate-limit-models.ts): token bucket (default), fixed windows, or a sliding log. */
    model: z.enum(['bucket', 'fixed', 'sliding']).optional(),
    /** Fixed windows only: aligned to the clock (default) or opened by the first request. */
    anchor: z.enum(['clock', 'first-request']).optional(),
    /** What the reset header announces; default `bucket-full` for the bucket, `window-end` for the windows. */
    reset: z.enum(['window-end', 'bucket-full', 'epoch', 'none']).optional(),
  })
  .strict();

export const stormSchema = z
  .object({
    /** Storm ends at this time of the org's clock (epoch ms). */
    untilMs: z.number().optional(),
    /** Storm lasts this long from the moment it is set. */
    forMs: z.number().int().positive().optional(),
    /** Storm ends after this many 429s. */
    forRequests: z.number().int().positive().optional(),
    retryAfterSeconds: z.number().int().min(0).default(5),
  })
  .strict();

export const errorStormSchema = z
  .object({
    /** Share of /api/v2 requests that fail while the storm lasts. */
    rate: rate(1),
    /** Storm lasts this long from the moment it is set. */
    forMs: z.number().int().positive().optional(),
    /** Storm ends at this time of the org's clock (epoch ms). */
    untilMs: z.number().optional(),
    /** Statuses a failing request is answered with (seeded pick). */
    statuses: z.array(z.number().int().min(500).max(599)).min(1).default([500, 502, 503, 504]),
    /** Share of the failing requests whose connection is dropped instead (no answer at all). */
    resetShare: rate(0),
  })
  .strict();

const pageFaultSchema = z
  .object({
    /** 1-based page number (the request's `pageNumber`). */
    page: z.number().int().min(1),
    /** How many answers of that page are faulty; unset = all of them (until the fault is cleared). */
    times: z.number().int().min(1).optional(),
  })
  .strict();

export const faultsSchema = z
  .object({
    /** Share of /api/v2 requests answered with a 5xx ErrorBody. */
    serverErrorRate: rate(0),
    /** Statuses the 5xx fault cycles through (seeded pick). */
    serverErrorStatuses: z.array(z.number().int().min(500).max(599)).min(1).default([500, 502, 503, 504]),
    /** Retry-After (s) sent with injected 503s; none when unset. */
    serverErrorRetryAfterSeconds: z.number().int().min(0).optional(),
    /** Share of /api/v2 requests whose connection is dropped with no response. */
    connectionResetRate: rate(0),
    /** Share of /api/v2 requests delayed by `slowDelayMs` before being answered. */
    slowRate: rate(0),
    slowDelayMs: z.number().int().min(0).default(3000),
    /** A 429 storm: every /api/v2 request gets 429 with this Retry-After until it ends. */
    storm: stormSchema.nullable().default(null),
    /**
     * A failure storm: share `rate` of /api/v2 requests answered with a 5xx from `statuses` (or, share `resetShare` of
     * them, a dropped connection) until it ends (`forMs` after it was set, or at clock time `untilMs`; never, if
     * neither is given, until `setFaults({ errorStorm: null })`). Before the bucket: a failing request does not use it.
     */
    errorStorm: errorStormSchema.nullable().default(null),
    /** Share of new analytics jobs that end FAILED instead of FULFILLED (decided per job at submission). */
    jobFailureRate: rate(0),
    /** Share of new analytics jobs that end EXPIRED instead of FULFILLED. */
    jobExpiryRate: rate(0),
    /**
     * Share of conversations (seeded, per conversation) that an async job leaves out of its results when its interval
     * is longer than `jobMissAboveMs`: a platform whose wide jobs come back incomplete while narrower ones and the
     * sync details query see everything (seed 003's reconcile: a delta past 5%, recovered by a narrower re-run).
     * Decided per job at submission. 0 = off.
     */
    jobMissShare: rate(0),
    /** Jobs over intervals up to this long (ms) are complete; 0 = every job misses `jobMissShare`. */
    jobMissAboveMs: z.number().int().min(0).default(0),
    /**
     * Page `page` of the page-numbered routes (details query, quality evaluation search) answers `{}`: no items and
     * no totals. `times` limits how often it fires (each answer of that page counts; default: every time).
     */
    emptyPageAt: pageFaultSchema.nullable().default(null),
    /** Page `page` of the page-numbered routes answers only its first `keep` items (default half), totals unchanged. */
    shortPageAt: pageFaultSchema.extend({ keep: z.number().int().min(0).optional() }).strict().nullable().default(null),
    /**
     * Share of `GET /api/v2/quality/conversations/{cid}/evaluations/{eid}` answered with the wrong body (seeded,
     * per request): another evaluation's (`wrongBody: 'other'`) or `{"id":"x"}` (`'stub'`).
     */
    wrongBodyRate: rate(0),
    wrongBody: z.enum(['other', 'stub']).default('other'),
    /**
     * Job results from page `fromPage` (default 2) on answer an empty page with a cursor: a new one each time
     * (`'new'`, default) or the very cursor that was sent (`'same'`). Cursors stay valid: clear the fault and they
     * resume where they were.
     */
    cursorLoop: z
      .object({ fromPage: z.number().int().min(1).default(2), cursor: z.enum(['new', 'same']).default('new') })
      .strict()
      .nullable()
      .default(null),
    /** Send the headers of 2xx responses at once, then the body in `dripChunks` pieces spread over this many ms. 0 = off. */
    dripBodyMs: z.number().int().min(0).default(0),
    dripChunks: z.number().int().min(1).max(1000).default(10),
    /** Error responses (4xx/5xx, token endpoint included) echo the request's Authorization header in their body. */
    echoAuthorization: z.boolean().default(false),
    /**
     * Answer every request with a redirect: a URL (absolute or a path) or `{ location, status = 307, keepPath = false }`;
     * `keepPath` appends the request's path and query to `location`.
     */
    redirectTo: z
      .union([
        z.string().min(1),
        z.object({ location: z.string().min(1), status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).default(307), keepPath: z.boolean().default(false) }).strict(),
      ])
      .nullable()
      .default(null)
      .transform((v) => (typeof v === 'string' ? { location: v, status: 307 as const, keepPath: false } : v)),
    /** 2xx responses grow to this many bytes (valid JSON: the real body plus a `padding` field), streamed. 0 = off. */
    hugeBodyBytes: z.number().int().min(0).default(0),
    /** Limit the request faults to paths starting with one of these (e.g. `/api/v2/quality`); all when empty. */
    only: z.array(z.string()).default([]),
  })
  .strict();

const jobsSchema = z
  .object({
    /** Time a new job spends QUEUED. */
    queuedMs: z.number().int().min(0).default(500),
    /** Time it then spends PENDING before its terminal state. */
    pendingMs: z.number().int().min(0).default(1500),
    /** `expirationDate` = submission + ttl; after it any job is EXPIRED. Real value unknown. */
    ttlMs: z.number().int().positive().default(86_400_000),
    /** Results page size when `pageSize` is absent. Real value unknown. */
    defaultPageSize: z.number().int().positive().default(100),
    /** Results `pageSize` above this is a 400. Real value unknown. */
    maxPageSize: z.number().int().positive().default(1000),
  })
  .strict();

const mediaMixSchema = z
  .object({
    voice: z.number().min(0).default(0.6),
    chat: z.number().min(0).default(0.15),
    message: z.number().min(0).default(0.15),
    email: z.number().min(0).default(0.1),
  })
  .strict();

export const optionsSchema = z
  .object({
    /** Same seed + same anchor + same sizes = the same org, byte for byte. */
    seed: z.number().int().default(1),
    /** The org's clock: drives token expiry, rate-limit refill, job states. Inject one to use fake timers. */
    now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function returning epoch ms').optional(),
    /** End of the dataset (epoch ms, ISO string or Date); conversations start in the `days` before it. Default: now() at creation. */
    anchor: timeInput.optional(),
    days: z.number().positive().default(30),
    conversationsPerDay: z.number().int().min(0).default(300),
    /** Total conversations; overrides `conversationsPerDay`. Large values cost nothing until read. */
    conversations: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    /** Share of conversations with at least one evaluation. */
    evaluatedShare: rate(0.3),
    /** Maximum evaluations on an evaluated conversation (each has 1..max). */
    evaluationsPerConversation: z.number().int().min(1).max(8).default(2),
    /** Share of evaluations that belong to a calibration. */
    calibrationShare: rate(0.1),
    forms: z.number().int().min(1).max(50).default(3),
    /** Published versions per form; the period is split so older evaluations use older versions. */
    formVersions: z.number().int().min(1).max(8).default(2),
    agents: z.number().int().min(1).max(10_000).default(40),
    evaluators: z.number().int().min(1).max(1000).default(8),
    queues: z.number().int().min(1).max(1000).default(6),
    mediaMix: mediaMixSchema.default({ voice: 0.6, chat: 0.15, message: 0.15, email: 0.1 }),
    /**
     * Share of conversations that span two media types: a second channel (drawn by `mediaMix` among the others, e.g.
     * a call whose agent also answers by email) with its own customer and agent sessions during the talk phase, its
     * own recording, and both types in the Quality API's `mediaType`. A QualityExporter with `splitByMediaType`
     * then meets a voice-and-digital conversation's evaluations in both channel groups. Drawn from a stream of its
     * own, so every other value of the org is the same whatever the share.
     * @default 0
     */
    multiChannelShare: rate(0),
    /** Share of voice conversations that were recorded (chat, message and email always have a transcript). */
    recordingShare: rate(0.9),
    /** Share of recorded voice conversations that also have a screen recording. */
    screenRecordingShare: rate(0.2),
    /** `GET .../recordings` answers 202 this many times per conversation and format before the 200. */
    transcodingPolls: z.number().int().min(0).default(1),
    clientId: z.string().min(1).default(SIM_CLIENT_ID),
    clientSecret: z.string().min(1).default(SIM_CLIENT_SECRET),
    /** `expires_in` of issued tokens (Genesys' default for client credentials is 86400 s). */
    tokenTtlSeconds: z.number().int().positive().default(86_400),
    /** Per-token limit on /api/v2; `false` turns it off. */
    rateLimit: z.union([rateLimitSchema, z.literal(false)]).default({ requests: 300, windowMs: 60_000 }),
    /** Per-client-id limit on POST /oauth/token; `false` turns it off. Real value unknown. */
    tokenRateLimit: z.union([rateLimitSchema, z.literal(false)]).default({ requests: 30, windowMs: 60_000 }),
    jobs: jobsSchema.default({ queuedMs: 500, pendingMs: 1500, ttlMs: 86_400_000, defaultPageSize: 100, maxPageSize: 1000 }),
    /** Fixed data availability date; when unset it trails the clock by `dataAvailabilityLagMs`. */
    dataAvailabilityDate: timeInput.optional(),
    dataAvailabilityLagMs: z.number().int().min(0).default(3_600_000),
    faults: faultsSchema.default(() => faultsSchema.parse({})),
    /** Added to every request (awaited, abortable). */
    latencyMs: z.number().int().min(0).default(0),
    apiBaseUrl: z.url().default(SIM_API_BASE_URL),
    authBaseUrl: z.url().default(SIM_AUTH_BASE_URL),
    /** Serve `/__sim/*` control routes (stats, faults, reset); on by default in startSimulatedServer. */
    controlRoutes: z.boolean().default(false),
  })
  .strict();

/** What you may pass to `createSimulatedOrg` (every field optional). */
export type SimulatedOrgOptions = z.input<typeof optionsSchema>;
export type FaultOptions = z.input<typeof faultsSchema>;
export type StormOptions = z.input<typeof stormSchema>;
export type ErrorStormOptions = z.input<typeof errorStormSchema>;
export type RateLimitOptions = z.infer<typeof rateLimitSchema>;

type Parsed = z.output<typeof optionsSchema>;
/** Options after defaults, with times as epoch ms. */
export interface ResolvedOptions extends Omit<Parsed, 'now' | 'anchor' | 'dataAvailabilityDate' | 'conversations'> {
  now: () => number;
  anchor: number;
  conversations: number;
  dataAvailabilityDate: number | undefined;
}
export type ResolvedFaults = z.output<typeof faultsSchema>;

/** Bad options of the simulated org: a ValidationError (`issues[].path` names each field) with its own name. */
export class SimulatorOptionsError extends ValidationError {
  override readonly name: string = 'SimulatorOptionsError';
  constructor(where: string, issues: ValidationIssue[], hint?: string) {
    super(where, issues, hint);
  }
}

/** An instant as epoch ms; `path` names the argument in the error (`setDataAvailabilityDate(date)`). */
export function toEpochMs(v: number | string | Date, path = 'date'): number {
  const t = parseOptions(z.object({ [path]: timeInput }), { [path]: v }, 'simulated org time', { error: SimulatorOptionsError })[path] as number | string | Date;
  return typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();
}

export function resolveOptions(input: SimulatedOrgOptions = {}): ResolvedOptions {
  const o = parseOptions(optionsSchema, input, 'simulated org options', { error: SimulatorOptionsError });
  // Read Date.now at call time (not a captured reference) so fake timers installed later still drive the org.
  const now = o.now ?? (() => Date.now());
  return {
    ...o,
    now,
    anchor: o.anchor === undefined ? now() : toEpochMs(o.anchor),
    conversations: o.conversations ?? Math.round(o.conversationsPerDay * o.days),
    dataAvailabilityDate: o.dataAvailabilityDate === undefined ? undefined : toEpochMs(o.dataAvailabilityDate),
  };
}

export function parseFaults(input: FaultOptions): ResolvedFaults {
  return parseOptions(faultsSchema, input, 'simulated org faults', { error: SimulatorOptionsError });
}

/**
 * The `org` argument of the simulator's helpers (legal-hold state, recording files): a SimulatedOrg (the `org` of
 * createSimulatedOrg / startSimulatedServer), checked by shape so a handle from another copy of the package works.
 */
export function checkOrg(org: unknown, where: string): void {
  const o = org as { now?: unknown; options?: { seed?: unknown } } | null | undefined;
  if (typeof o !== 'object' || o === null || typeof o.now !== 'function' || typeof o.options !== 'object' || o.options === null || typeof o.options.seed !== 'number') {
    throw new SimulatorOptionsError(where, [{ path: 'org', message: expected('a SimulatedOrg (the `org` of createSimulatedOrg or startSimulatedServer)', org), code: 'invalid_type' }]);
  }
}

const portSchema = () => z.number().int().min(0).max(65_535);

/** `startRecordingFilesServer` options besides `org` (checked by checkOrg). */
export const recordingFilesOptionsSchema = z.strictObject({
  org: z.unknown(),
  range: z.boolean().optional(),
  faults: z
    .strictObject({
      dropAfterBytes: z.strictObject({ bytes: z.number().int().min(0), times: z.number().int().min(0) }).nullable().optional(),
      failStatus: z.strictObject({ status: z.number().int().min(100).max(599), times: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0).optional() }).nullable().optional(),
    })
    .optional(),
  port: portSchema().optional(),
  unref: z.boolean().optional(),
});

const fn = () => z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');

/** `configureLegalHoldSim` options (src/testing/state/legal-hold-sim.ts documents each). */
export const legalHoldSimOptionsSchema = z.strictObject({
  recordingBytes: z.union([z.number().int().min(0), fn()]).optional(),
  redacted: fn().optional(),
  redaction: z.enum(['errorMsg', 'omit']).optional(),
  retentionMs: z.number().int().min(0).optional(),
  batchPolls: z.number().int().min(0).optional(),
  maxBatchSize: z.number().int().min(1).optional(),
  maxProtectionBatch: z.number().int().min(1).optional(),
  urlTtlMs: z.number().int().min(1).optional(),
  filesBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  protectFails: fn().optional(),
});
