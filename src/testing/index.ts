/**
 * `@org/gc-data/testing`: a simulated Genesys Cloud org for offline tests, examples and benchmarks.
 * See docs/testing.md.
 */
export { createSimulatedOrg, type SimulatedOrgHandle } from './serve/create';
export { startSimulatedServer, type SimulatedServer, type SimulatedServerOptions } from './serve/server';
export { connectSimulated, type SimulatedConnection, type ConnectSimulatedOptions } from './serve/connect';
export { SimulatedOrg } from './engine/org';
export { createFakeClock, type FakeClock, type FakeClockOptions } from './clock/fake-clock';
export { RESET, type HandleResult } from './engine/http';
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
  type ErrorStormOptions,
} from './engine/options';
export { DETAILS_DEFAULT_PAGE_SIZE, DETAILS_MAX_PAGE_SIZE } from './routes/details-query';
export { SEARCH_DEFAULT_PAGE_SIZE, SEARCH_MAX_PAGE_SIZE } from './oracle/evaluation-search';
export { ANNOTATION_DESCRIPTION_MAX } from './routes/media';
export { startRecordingFilesServer, type RecordingFilesServer, type RecordingFilesServerOptions, type RecordingFilesFaults, type RecordedFileRequest } from './serve/recording-files';
export { configureLegalHoldSim, resetLegalHoldSim, legalHoldSim, isProtected as isRecordingProtected, deletedAt as recordingDeletedAt, retentionDate as recordingRetentionDate, type LegalHoldSimOptions, type LegalHoldSimState } from './state/legal-hold-sim';
export { REDACTED_ERROR, DELETED_ERROR } from './routes/recording-batch';
export { JOB_FAILED_MESSAGE, type JobState } from './state/jobs';
export { MAX_CONVERSATION_MS, MAX_EVALUATION_LAG_MS, type EvaluationStatus, type MediaType } from './data/dataset';
export type { SimulatedData } from './data/data-view';
export type { StatsSnapshot, FaultCounts, SimStats } from './engine/stats';
export type { Truth, TruthEvaluation, DetailsFilters, IntervalInput } from './oracle/truth';
export type * from './data/types';
