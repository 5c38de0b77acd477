/** LegalHold: select, protect, export (evaluations, conversations, recordings), manifest, verify, release. */
export { LegalHold } from './legal-hold';
export type { HoldSummary, ProtectionReport, ReleaseReport, MissingRecording, NotProtected } from './legal-hold';
export { verifyHold, MANIFEST_FILE, MANIFEST_SHA256_FILE, MANIFEST_HMAC_FILE } from './manifest';
export type { VerifyHoldOptions, VerifyHoldReport, AlteredFile, ManifestEntry, HmacKey } from './manifest';
export { RECORDING_BATCH_MAX, PROTECTION_BATCH_MAX } from './schemas';
export type { LegalHoldOptions, ExportHoldOptions, HoldProgress, LegalHoldPollOptions } from './schemas';
export { Downloader, DownloadError, sha256File } from '../transport/download';
export type { DownloaderOptions, DownloadRequest, DownloadResult, DownloadProgress, DownloadRetryOptions, DownloadFailure } from '../transport/download';
