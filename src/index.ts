/**
 * The root entry, `@org/gc-data`: the client, the modules, every error class and the types their signatures
 * mention. Pure helpers live behind subpaths named by domain (`@org/gc-data/filters`, `/intervals`, `/pii`, `/rows`,
 * `/sinks`, `/media-matrix`, `/batch-callbacks`, `/schemas`). test/exports.test.ts pins every entry's runtime
 * names: a new export is a reviewed change, a removal needs a CHANGELOG entry.
 */
export { GenesysClient, SDK_VERSION } from './client';
export {
  GcError,
  ValidationError,
  ApiError,
  BadRequestError,
  AuthError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  NetworkError,
  TimeoutError,
  PlatformUnavailableError,
  AbortError,
  JobFailedError,
  UnexpectedResponseError,
  UnsafeRequestError,
  RedirectError,
  ResponseTooLargeError,
  IncompleteDataError,
  EntityMismatchError,
} from './errors';
export type { ValidationIssue, PlatformErrorBody, RequestContext, ApiErrorInit } from './errors';
export type * from './events';
export { resolveRegion, parseRegion } from './regions';
export { MemoryTokenStore } from './auth/token-store';
export { LocalRateLimiter } from './transport/rate-limiter';
export { QualityExporter } from './quality/exporter';
export { ReportQueries, ReportExtraction, ReportJob } from './analytics/report-jobs';
export { JobTimeoutError } from './analytics/report-job';
export { DataAvailabilityError } from './analytics/availability';
export { InteractionSearch } from './search/interaction-search';
export type { SearchAggregateOptions, AggregateGroup, AggregateStats } from './search/aggregate';
export { BatchCallbackError } from './search/batch-callback';
export { MediaMetadata } from './media/media-metadata';
export { LegalHold, verifyHold } from './legal-hold/index';
export { DownloadError } from './transport/download';
export { FileSyncStateStore } from './sync/file-store';
export { SyncStateError } from './sync/errors';
export type { FileSyncStateStoreOptions } from './sync/file-store';
export type {
  ConversationSyncChange,
  ConversationUpsertChange,
  EvaluationDeleteChange,
  EvaluationSyncChange,
  EvaluationUpsertChange,
  SyncBatch,
  SyncProgress,
  SyncStateSnapshot,
  SyncStateStore,
  SyncStateWrite,
  SyncSummary,
} from './sync/types';
export type { QualitySyncOptions } from './quality/sync';
export type { ConversationSyncOptions, ConversationSyncSummary } from './analytics/sync';
export type {
  HoldSummary,
  ProtectionReport,
  ReleaseReport,
  MissingRecording,
  NotProtected,
  VerifyHoldOptions,
  VerifyHoldReport,
  AlteredFile,
  ManifestEntry,
  HmacKey,
  LegalHoldOptions,
  ExportHoldOptions,
  HoldProgress,
  LegalHoldPollOptions,
} from './legal-hold/index';
export type { RequestOptions, ResponseSchema, ApiResponse, ClientStats, ResponseBytes } from './client';
export type { GenesysClientOptions } from './client-options';
export type { Clock } from './internal/clock';
export type { Logger, RequestCounters } from './client-observer';
export type { TelemetryOptions } from './telemetry/options';
export type { PaginateOptions, PaginateRequest } from './client-paginate';
export type { AuthenticateOptions, AuthenticateResult, AuthCheck, AuthCheckResult } from './authenticate';
export type { RegionKey, RegionHost, ResolvedRegion } from './regions';
export type { TokenStore, StoredToken } from './auth/token-store';
export type { BottleneckLimiter, RateLimiter, RateLimiterStats, ScheduleOptions, LocalRateLimiterOptions } from './transport/rate-limiter';
export type { RetryOptions, RetryBudgetOptions } from './transport/retry';
export type { RateLimitHeaderNames } from './transport/rate-limit-headers';
export type { HttpMethod, QueryParams, QueryValue } from './transport/transport';
export type { PiiType, PiiFinding, ScanPiiOptions, RedactPiiOptions, PiiMask } from './pii/pii';
export type { FilterNode, AndNode, OrNode, FilterCondition, FilterOp, FilterValue } from './filters/builder';
export type { FilterDepthResult } from './filters/depth';
export type { CompiledFilter, CompileFilterOptions, ResidualFilter, DetailQueryRange } from './filters/compile';
export type { AnalyticsConversationLike, EvaluateOptions, FilterMatcher } from './filters/evaluate';
export type { FilterField, FieldLevel, FieldKind, FieldType } from './filters/catalog';
export type { IntervalInput, ParsedInterval, IntervalWindow, SplitOptions } from './helpers/intervals';
export type { EvaluationLike, FlattenScorecardOptions, ScorecardRow, RawAnswersScorecardRow, ScorecardFixedRow, ScorecardPivotColumns, FixedScorecardColumn } from './quality/scorecard';
export type { EvaluationRef, ExportedEvaluation, RowsRequest, ExportProgress, ExportToOptions, QualityExportState, QualityExportCursor, ExportSummary } from './quality/exporter';
export type { EvaluationResponse, QualityExporterOptions, ExportRequest, CalibrationMode } from './quality/schemas';
export type { AnalyticsConversation, AnalyticsEvaluation, AnalyticsParticipant, AnalyticsSession, AnalyticsSegment, DetailQueryFilter, ConversationQueryFilters } from './analytics/schemas';
export type { AnnotateResult, RecordingAnnotationResult } from './media/media-metadata';
export type { MediaMetadataOptions, FetchMediaOptions, AnnotateOptions, TranscodingWaitOptions, AnnotationInput, AnnotationsInput, StoredAnnotation, RecordingAnnotationInput, RecordingFormatId, ArchiveCallback, ArchiveEventName, ArchiveEventData, Recording, Annotation, CustomAttributes } from './media/schemas';
export type { ArchiveCallbackResult } from './media/archive-callbacks';
export type { MediaTelemetrySnapshot, LatencyStats, ValidationStats, MediaAuditEntry, AuditStatus } from './media/telemetry';
export type { MediaKind, MediaKindRule, MediaRulesOverride, RecordingLike, MediaMatrix, MediaMatrixRow, MediaKindSummary, MediaMatrixOptions, ThumbnailJob, ThumbnailJobOptions, ThumbnailPlan, ThumbnailFormat } from './media/media-matrix';
export type { ExtractOptions } from './analytics/report-jobs';
export type { ReportJobState, ReportJobStatus, JobProgress, WaitOptions, ResultsOptions, ReportResultsPage, ResolvedPoll } from './analytics/report-job';
export type { ExtractSummary, ExtractProgress, ReconcileRecord, Projected } from './analytics/extract';
export type { SplitRecord, ResubmitRecord } from './analytics/job-runner';
export type { ConversationRow, ProjectionOptions } from './analytics/projection';
export type { AvailabilityPolicy } from './analytics/schemas';
export type { SearchPlan } from './search/interaction-search';
export type { VerifyBatchSignatureOptions } from './search/batch-callback';
export type { SearchQueryOptions, SearchCountOptions, SearchReadyOptions, SearchReadyResult, SearchJobOptions, SearchNotification, SearchBatch, SearchComplete, BatchCallbackOptions, LargeRangePolicy, SearchConversation } from './search/schemas';
export type { RowSink, SinkOptions, SinkTarget, WritableTarget, CsvSinkOptions, NdjsonSinkOptions, Checkpoint, CheckpointEnvelope, FileCheckpointOptions, SinkFormat, SinkForPathOptions } from './sinks/index';
