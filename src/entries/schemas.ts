/**
 * `@org/gc-data/schemas`: the live zod schemas behind the SDK's options and the platform shapes it checks, and the
 * vocabularies its options accept (statuses, modes, policies) with their defaults. For validating your own
 * configuration or stored rows with exactly the SDK's rules.
 */
export { EvaluationResponse as EvaluationResponseSchema, MEDIA_TYPE_GROUPS, CALIBRATION_MODES, EVALUATION_STATUSES } from '../quality/schemas';
export { AsyncConversationQuery, ExtractCheckpointState, ReportQueriesOptions, ReportPollOptions, AVAILABILITY_POLICIES, DEFAULT_POLL } from '../analytics/schemas';
export { REPORT_JOB_STATES } from '../analytics/report-job';
export { EXTRACT_CHECKPOINT_KIND } from '../analytics/extract-checkpoint';
export { RECORDING_FORMAT_IDS, DEFAULT_KEY_PATTERN, DEFAULT_ATTRIBUTES_ID } from '../media/schemas';
export { DEFAULT_MAX_SYNC_RANGE_DAYS } from '../search/schemas';
export { DEFAULT_RETRY } from '../transport/retry';
export { DEFAULT_RATE_LIMIT_HEADERS } from '../transport/rate-limit-headers';
export { REGION_HOSTS } from '../regions';
