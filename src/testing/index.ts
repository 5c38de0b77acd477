/**
 * `@org/gc-data/testing`: a simulated Genesys Cloud org for offline tests, examples and benchmarks.
 * See docs/testing.md.
 */
export { createSimulatedOrg, type SimulatedOrgHandle } from './create';
export { startSimulatedServer, type SimulatedServer, type SimulatedServerOptions } from './server';
export { connectSimulated, type SimulatedConnection, type ConnectSimulatedOptions } from './connect';
export { SimulatedOrg } from './org';
export { RESET, type HandleResult } from './http';
export {
  SIM_API_BASE_URL,
  SIM_AUTH_BASE_URL,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SimulatorOptionsError,
  type FaultOptions,
  type RateLimitOptions,
  type ResolvedOptions,
  type SimulatedOrgOptions,
  type StormOptions,
} from './options';
export { DETAILS_DEFAULT_PAGE_SIZE, DETAILS_MAX_PAGE_SIZE } from './routes/details-query';
export { SEARCH_DEFAULT_PAGE_SIZE, SEARCH_MAX_PAGE_SIZE } from './evaluation-search';
export { ANNOTATION_DESCRIPTION_MAX } from './routes/media';
export { startRecordingFilesServer, type RecordingFilesServer, type RecordingFilesServerOptions, type RecordingFilesFaults, type RecordedFileRequest } from './recording-files';
export { configureLegalHoldSim, resetLegalHoldSim, legalHoldSim, isProtected as isRecordingProtected, deletedAt as recordingDeletedAt, retentionDate as recordingRetentionDate, type LegalHoldSimOptions, type LegalHoldSimState } from './legal-hold-sim';
export { REDACTED_ERROR, DELETED_ERROR } from './routes/recording-batch';
export { JOB_FAILED_MESSAGE, type JobState } from './jobs';
export { MAX_CONVERSATION_MS, MAX_EVALUATION_LAG_MS, type EvaluationStatus, type MediaType } from './dataset';
export type { SimulatedData } from './data-view';
export type { StatsSnapshot, FaultCounts, SimStats } from './stats';
export type { Truth, TruthEvaluation, DetailsFilters, IntervalInput } from './truth';
export type * from './types';
