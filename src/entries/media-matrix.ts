/** `@org/gc-data/media-matrix`: which recording formats a conversation has, and thumbnail plans (docs/media.md). Pure. */
export { buildMediaMatrix, planThumbnailJobs, mediaKindOf, normalizeFormat, formatAllowed, expectedFormatsIn, resolveMediaRules, DEFAULT_MEDIA_RULES, MEDIA_KINDS, DEFAULT_THUMBNAIL_FILE_STATES } from '../media/media-matrix';
export type { MediaKind, MediaKindRule, MediaRulesOverride, RecordingLike, MediaMatrix, MediaMatrixRow, MediaKindSummary, MediaMatrixOptions, ThumbnailJob, ThumbnailJobOptions, ThumbnailPlan, ThumbnailFormat } from '../media/media-matrix';
