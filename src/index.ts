// Public exports only. Modules and helpers are added here as they land.
export { GenesysClient, SDK_VERSION } from './client';
export type { RequestOptions, ResponseSchema, ApiResponse, ClientStats, ResponseBytes } from './client';
export type { GenesysClientOptions } from './client-options';
export type { Logger, RequestCounters } from './client-observer';
export type { TelemetryOptions } from './telemetry/options';
export type { PaginateOptions, PaginateRequest } from './client-paginate';
export type { AuthenticateOptions, AuthenticateResult, AuthCheck, AuthCheckResult } from './authenticate';
export * from './errors';
export type * from './events';
export { REGION_HOSTS, resolveRegion, parseRegion } from './regions';
export type { RegionKey, RegionHost, ResolvedRegion } from './regions';
export { MemoryTokenStore } from './auth/token-store';
export type { TokenStore, StoredToken } from './auth/token-store';
export { LocalRateLimiter } from './transport/rate-limiter';
export type { BottleneckLimiter, RateLimiter, RateLimiterStats, ScheduleOptions, LocalRateLimiterOptions } from './transport/rate-limiter';
export { DEFAULT_RETRY, classify, computeDelay, parseRetryAfter, RetryBudget } from './transport/retry';
export type { RetryOptions, RetryBudgetOptions } from './transport/retry';
export { DEFAULT_RATE_LIMIT_HEADERS, parseRateLimitHeaders } from './transport/rate-limit-headers';
export type { RateLimitHeaderNames } from './transport/rate-limit-headers';
export { paginateByPageNumber, paginateByCursor, paginateByNextUri, itemsOf } from './transport/paginate';
export type { Page, PageGuardOptions } from './transport/paginate';
export type { HttpMethod, QueryParams, QueryValue } from './transport/transport';
export { scanPii, containsPii, redactPii, luhnValid, PII_TYPES } from './helpers/pii';
export type { PiiType, PiiFinding, ScanPiiOptions, RedactPiiOptions, PiiMask } from './helpers/pii';
export { FilterBuilder, normalizeFilter, isAndNode, isOrNode, FILTER_OPS } from './helpers/filter-builder';
export type { FilterNode, AndNode, OrNode, FilterCondition, FilterOp, FilterValue } from './helpers/filter-builder';
export { validateFilterDepth, DEFAULT_MAX_FILTER_DEPTH } from './helpers/filter-depth';
export type { FilterDepthResult } from './helpers/filter-depth';
export { compileFilter } from './helpers/filter-compile';
export type { CompiledFilter, CompileFilterOptions, ResidualFilter, DetailQueryRange } from './helpers/filter-compile';
export { evaluateFilter, applyResidual, createFilterMatcher } from './helpers/filter-evaluate';
export type { AnalyticsConversationLike, EvaluateOptions, FilterMatcher } from './helpers/filter-evaluate';
export { FILTER_FIELDS, FIELD_LEVELS, lookupField, suggestFields } from './helpers/filter-catalog';
export type { FilterField, FieldLevel, FieldKind, FieldType } from './helpers/filter-catalog';
export {
  parseInterval,
  parseInstant,
  parseDuration,
  formatInstant,
  formatInterval,
  splitInterval,
  splitIntervalWindows,
  halveInterval,
  lastFullUtcDay,
  intervalLengthMs,
  DEFAULT_MAX_WINDOWS,
} from './helpers/intervals';
export type { IntervalInput, ParsedInterval, IntervalWindow, SplitOptions } from './helpers/intervals';
export { dedupeBy, dedupeArrayBy, UuidKeySet } from './helpers/dedupe';
export type { KeySet, DedupeOptions } from './helpers/dedupe';
export { flattenScorecard, FIXED_SCORECARD_COLUMNS, ANSWERS_JSON_COLUMN, SCORE_COLUMN_PREFIX, QUESTION_COLUMN_PREFIX } from './helpers/scorecard';
export type {
  EvaluationLike,
  FlattenScorecardOptions,
  ScorecardRow,
  RawAnswersScorecardRow,
  ScorecardFixedRow,
  ScorecardPivotColumns,
  FixedScorecardColumn,
} from './helpers/scorecard';
export * from './sinks/index';
export { QualityExporter } from './quality/exporter';
export type {
  EvaluationRef,
  ExportedEvaluation,
  RowsRequest,
  ExportProgress,
  ExportToOptions,
  QualityExportState,
  ExportSummary,
} from './quality/exporter';
export { EvaluationResponse as EvaluationResponseSchema, MEDIA_TYPE_GROUPS, CALIBRATION_MODES, EVALUATION_STATUSES } from './quality/schemas';
export type { EvaluationResponse, QualityExporterOptions, ExportRequest, CalibrationMode } from './quality/schemas';
export { detailsQueryPages, detailsQueryCount, DETAILS_QUERY_PATH, DETAILS_QUERY_MAX_PAGE_SIZE } from './analytics/details-query';
export type { DetailsQuery, DetailsPage } from './analytics/details-query';
export type {
  AnalyticsConversation,
  AnalyticsEvaluation,
  AnalyticsParticipant,
  AnalyticsSession,
  AnalyticsSegment,
  DetailQueryFilter,
  ConversationQueryFilters,
} from './analytics/schemas';
export { MediaMetadata } from './media/media-metadata';
export type { AnnotateResult, RecordingAnnotationResult } from './media/media-metadata';
export { RECORDING_FORMAT_IDS, DEFAULT_KEY_PATTERN, DEFAULT_ATTRIBUTES_ID } from './media/schemas';
export type {
  MediaMetadataOptions,
  FetchMediaOptions,
  AnnotateOptions,
  TranscodingWaitOptions,
  AnnotationInput,
  AnnotationsInput,
  StoredAnnotation,
  RecordingAnnotationInput,
  RecordingFormatId,
  ArchiveCallback,
  ArchiveEventName,
  ArchiveEventData,
  Recording,
  Annotation,
  CustomAttributes,
} from './media/schemas';
export type { ArchiveCallbackResult } from './media/archive-callbacks';
export type { MediaTelemetrySnapshot, LatencyStats, ValidationStats, MediaAuditEntry, AuditStatus } from './media/telemetry';
export {
  buildMediaMatrix,
  planThumbnailJobs,
  mediaKindOf,
  normalizeFormat,
  formatAllowed,
  expectedFormatsIn,
  resolveMediaRules,
  DEFAULT_MEDIA_RULES,
  MEDIA_KINDS,
  DEFAULT_THUMBNAIL_FILE_STATES,
} from './helpers/media-matrix';
export type {
  MediaKind,
  MediaKindRule,
  MediaRulesOverride,
  RecordingLike,
  MediaMatrix,
  MediaMatrixRow,
  MediaKindSummary,
  MediaMatrixOptions,
  ThumbnailJob,
  ThumbnailJobOptions,
  ThumbnailPlan,
  ThumbnailFormat,
} from './helpers/media-matrix';
export { canonicalJson, canonicalHash, sha256Hex, canonicalEqual } from './helpers/canonical-json';
export { ReportQueries, ReportExtraction, ReportJob } from './analytics/report-jobs';
export type { ExtractOptions } from './analytics/report-jobs';
export { JobTimeoutError, REPORT_JOB_STATES, pollDelayMs, isTerminalState } from './analytics/report-job';
export type {
  ReportJobState,
  ReportJobStatus,
  JobProgress,
  WaitOptions,
  ResultsOptions,
  ReportResultsPage,
  ResolvedPoll,
} from './analytics/report-job';
export type { ExtractSummary, ExtractProgress, ReconcileRecord, Projected } from './analytics/extract';
export type { SplitRecord, ResubmitRecord } from './analytics/job-runner';
export { DataAvailabilityError } from './analytics/availability';
export { EXTRACT_CHECKPOINT_KIND } from './analytics/extract-checkpoint';
export { projectConversation, CONVERSATION_ROW_COLUMNS } from './analytics/projection';
export type { ConversationRow, ProjectionOptions } from './analytics/projection';
export {
  AsyncConversationQuery,
  ExtractCheckpointState,
  ReportQueriesOptions,
  ReportPollOptions,
  AVAILABILITY_POLICIES,
  DEFAULT_POLL,
} from './analytics/schemas';
export type { AvailabilityPolicy } from './analytics/schemas';
export { InteractionSearch } from './search/interaction-search';
export type { SearchPlan } from './search/interaction-search';
export {
  verifyBatchSignature,
  signBatch,
  deliverBatchCallback,
  resolveBatchCallbackOptions,
  BatchCallbackError,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DELIVERY_HEADER,
  ATTEMPT_HEADER,
  DEFAULT_SIGNATURE_MAX_AGE_SECONDS,
} from './search/batch-callback';
export type { VerifyBatchSignatureOptions, DeliveryResult, DeliveryRetry } from './search/batch-callback';
export { DEFAULT_MAX_SYNC_RANGE_DAYS } from './search/schemas';
export type {
  SearchQueryOptions,
  SearchCountOptions,
  SearchReadyOptions,
  SearchReadyResult,
  SearchJobOptions,
  SearchNotification,
  SearchBatch,
  SearchComplete,
  BatchCallbackOptions,
  LargeRangePolicy,
  SearchConversation,
} from './search/schemas';
