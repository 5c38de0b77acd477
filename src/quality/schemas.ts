import * as z from 'zod';
import { validationErrorFromZod } from '../errors';
import { parseInterval } from '../helpers/intervals';
import { lookupField } from '../filters/catalog';
import { lazySchema } from '../internal/lazy-schema';
import { num, str } from '../internal/schema-fragments';

/**
 * Shapes of the Quality API (docs/platform-notes.md section e) and the QualityExporter's inputs. Responses are loose
 * (added fields are kept, never an error); only ids the export cannot do without are required.
 */

const Ref = lazySchema(() =>
  z.looseObject({ id: str(), name: str().optional(), selfUri: str().optional() }),
);

export const EvaluationQuestionScore = lazySchema(() =>
  z.looseObject({
    questionId: str().optional(),
    answerId: str().optional(),
    score: num().optional(),
    markedNA: z.boolean().optional(),
    systemMarkedNA: z.boolean().optional(),
    failedKillQuestion: z.boolean().optional(),
    comments: str().optional(),
  }),
);

export const EvaluationQuestionGroupScore = lazySchema(() =>
  z.looseObject({
    questionGroupId: str().optional(),
    totalScore: num().optional(),
    maxTotalScore: num().optional(),
    totalCriticalScore: num().optional(),
    totalNonCriticalScore: num().optional(),
    markedNA: z.boolean().optional(),
    questionScores: z.array(EvaluationQuestionScore).optional(),
  }),
);

export const EvaluationScoringSet = lazySchema(() =>
  z.looseObject({
    totalScore: num().optional(),
    totalCriticalScore: num().optional(),
    totalNonCriticalScore: num().optional(),
    anyFailedKillQuestions: z.boolean().optional(),
    comments: str().optional(),
    questionGroupScores: z.array(EvaluationQuestionGroupScore).optional(),
  }),
);

export const EvaluationFormRef = lazySchema(() =>
  z.looseObject({
    id: str(),
    name: str().optional(),
    /** Stable across form versions. */
    contextId: str().optional(),
    questionGroups: z
      .array(
        z.looseObject({
          id: str(),
          contextId: str().optional(),
          name: str().optional(),
          questions: z.array(z.looseObject({ id: str(), contextId: str().optional(), text: str().optional() })).optional(),
        }),
      )
      .optional(),
  }),
);

/** `GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}` */
export const EvaluationResponse = lazySchema(() =>
  z.looseObject({
    id: str(),
    name: str().optional(),
    conversation: Ref.optional(),
    evaluationForm: EvaluationFormRef.optional(),
    evaluator: Ref.optional(),
    agent: Ref.optional(),
    /** Present on calibration evaluations (there is no `isCalibration` field). */
    calibration: Ref.nullable().optional(),
    /** UPPERCASE in the Quality API: PENDING, INPROGRESS, FINISHED, INREVIEW, RETRACTED. */
    status: str().optional(),
    answers: EvaluationScoringSet.optional(),
    queue: Ref.optional(),
    releaseDate: str().optional(),
    assignedDate: str().optional(),
    createdDate: str().optional(),
    changedDate: str().optional(),
    submittedDate: str().optional(),
    conversationDate: str().optional(),
    conversationEndDate: str().optional(),
    /** An array on the platform, e.g. ["Call"]. */
    mediaType: z.array(str()).optional(),
    neverRelease: z.boolean().optional(),
    rescore: z.boolean().optional(),
    isScoringIndex: z.boolean().optional(),
  }),
);
export type EvaluationResponse = z.infer<typeof EvaluationResponse>;

/** `POST /api/v2/quality/evaluations/search` response (answers included). */
export const EvaluationSearchResponse = lazySchema(() =>
  z.looseObject({
    pageSize: num().optional(),
    pageNumber: num().optional(),
    total: num().optional(),
    results: z.array(z.looseObject({ id: str() })).optional(),
  }),
);

// ---- QualityExporter inputs ------------------------------------------------------------------------------------

export const CALIBRATION_MODES = ['exclude', 'include', 'separate'] as const;
export type CalibrationMode = (typeof CALIBRATION_MODES)[number];

/** Evaluation statuses as the analytics `evaluationStatus` dimension spells them (the filter catalog's list). */
export const EVALUATION_STATUSES: readonly string[] = lookupField('evaluationStatus')?.values ?? [];

/** A status in any casing, as the catalog spells it (`finished` -> `Finished`); undefined when unknown. */
const canonicalStatus = (s: string) => EVALUATION_STATUSES.find((x) => x.toLowerCase() === s.toLowerCase());

export const QualityExporterOptionsSchema = lazySchema(() =>
  z.strictObject({
    /** What to do with calibration evaluations. Default `exclude` (docs/design-intent.md seed 001: they skew agent averages). */
    calibrations: z.enum(CALIBRATION_MODES).default('exclude'),
    /** Evaluation GETs in flight. Default 5 (docs/design-intent.md seed 001); the client's limiter still caps the total. */
    concurrency: z.number().int().min(1).max(50).default(5),
    /** `details`: details query + one GET per evaluation; `search`: the quality search endpoint (answers included). */
    strategy: z.enum(['details', 'search']).default('details'),
    /**
     * Evaluation statuses exported (`Finished`, `InProgress`, `InReview`, `Pending`, `Retracted`), in any casing: sent
     * as the analytics `evaluationStatus` dimension spells them, matched case-insensitively on the client (the Quality
     * API spells them `FINISHED`). An unknown status is a ValidationError.
     */
    evaluationStatus: z
      .array(
        z
          .string()
          .refine((v) => canonicalStatus(v) !== undefined, {
            error: (issue) => `unknown evaluation status "${String(issue.input)}": use one of ${EVALUATION_STATUSES.join(', ')}`,
          })
          .transform((v) => canonicalStatus(v) as string),
      )
      .min(1)
      .default(['Finished']),
    /** Details query page size. Default 100. */
    pageSize: z.number().int().min(1).max(100).default(100),
    /** Search strategy page size. Default 100. */
    searchPageSize: z.number().int().min(1).max(100).default(100),
  }),
);
export type QualityExporterOptions = z.input<typeof QualityExporterOptionsSchema>;
export type ResolvedQualityExporterOptions = z.output<typeof QualityExporterOptionsSchema>;

/** Channel groups for `splitByMediaType` (docs/design-intent.md seed 000: voice and digital evaluations exported apart). */
export const MEDIA_TYPE_GROUPS = {
  voice: ['voice', 'callback'],
  digital: ['chat', 'email', 'message', 'cobrowse', 'screenshare', 'video'],
} as const;

/** Segment `mediaType` values the platform knows (the filter catalog's list). */
export const MEDIA_TYPES: readonly string[] = lookupField('mediaType')?.values ?? [];

const mediaTypeSchema = lazySchema(() =>
  z.string().refine((m) => MEDIA_TYPES.includes(m), {
    error: (issue) => `unknown media type "${String(issue.input)}": use one of ${MEDIA_TYPES.join(', ')}`,
  }),
);

export const ExportRequestSchema = lazySchema(() =>
  z.strictObject({
    /** ISO-8601 `start/end` (half-open) of conversation start times. */
    interval: z.union([z.string(), z.strictObject({ start: z.union([z.string(), z.date(), z.number()]), end: z.union([z.string(), z.date(), z.number()]) })]),
    /** Segment media types to include (docs/design-intent.md seed 000): voice, callback, chat, email, message, ... Default: all. */
    mediaTypes: z.array(mediaTypeSchema).min(1).optional(),
    /** One pass per channel group (voice, digital), rows tagged with `media_type`. Default false. */
    splitByMediaType: z.boolean().optional(),
    /** Extra filter tree (FilterBuilder form), compiled to details-query filters. */
    filters: z.unknown().optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'signal must be an AbortSignal' }).optional(),
  }),
);
export type ExportRequest = z.input<typeof ExportRequestSchema>;

/** Exporter options that are given once, to the constructor: named as such when passed per call. */
const CONSTRUCTOR_OPTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  ['calibrations', 'concurrency', 'strategy', 'evaluationStatus', 'pageSize'].map((k) => [k, `the exporter: new QualityExporter(client, { ${k} })`]),
);

/** Validates an export request; every problem at once, before anything is sent. */
export function parseExportRequest(input: unknown, where: string): ExportRequest & { startMs: number; endMs: number } {
  const parsed = ExportRequestSchema.safeParse(input);
  if (!parsed.success) throw validationErrorFromZod(where, parsed.error, undefined, { schema: ExportRequestSchema, input, elsewhere: CONSTRUCTOR_OPTIONS });
  const { startMs, endMs } = parseInterval(parsed.data.interval as string, 'interval');
  return { ...parsed.data, startMs, endMs };
}
