/**
 * Shapes of the recording and custom-attribute APIs (docs/platform-notes.md section f; SDK 262 `Recording`,
 * `RecordingMetadata`, `Annotation`, `CustomAttributes*`), as MediaMetadata reads and writes them.
 * Responses are loose: added fields are kept, and only what the module cannot do without is required.
 */
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { num, str } from '../internal/schema-fragments';

export const MediaResult = lazySchema(() =>
  z.looseObject({ mediaUri: str().optional(), waveformData: z.array(num()).optional() }),
);

export const Annotation = lazySchema(() =>
  z.looseObject({
    id: str().optional(),
    name: str().optional(),
    type: str().optional(),
    location: num().optional(),
    durationMs: num().optional(),
    absoluteLocation: num().optional(),
    absoluteDurationMs: num().optional(),
    recordingLocation: num().optional(),
    recordingDurationMs: num().optional(),
    description: str().optional(),
    reason: str().optional(),
    realtimeLocation: num().optional(),
    selfUri: str().optional(),
  }),
);
export type Annotation = z.infer<typeof Annotation>;

/**
 * `Recording` from `/recordings`, and `RecordingMetadata` from `/recordingmetadata` (a subset of its fields: no
 * media, transcripts or transcode data). Only `id` is required: a recording without one cannot be annotated.
 */
export const Recording = lazySchema(() =>
  z.looseObject({
    id: str(),
    name: str().optional(),
    conversationId: str().optional(),
    path: str().optional(),
    startTime: str().optional(),
    endTime: str().optional(),
    /** `audio`, `screen`, `chat`, `message`, `email`. */
    media: str().optional(),
    mediaSubtype: str().optional(),
    mediaSubject: str().optional(),
    annotations: z.array(Annotation).optional(),
    transcript: z.array(z.unknown()).optional(),
    emailTranscript: z.array(z.unknown()).optional(),
    messagingTranscript: z.array(z.unknown()).optional(),
    /** `ARCHIVED, AVAILABLE, DELETED, RESTORED, RESTORING, UPLOADING, ERROR`. */
    fileState: str().optional(),
    restoreExpirationTime: str().optional(),
    mediaUris: z.record(str(), MediaResult).optional(),
    estimatedTranscodeTimeMs: num().optional(),
    actualTranscodeTimeMs: num().optional(),
    archiveDate: str().optional(),
    archiveMedium: str().optional(),
    deleteDate: str().optional(),
    exportDate: str().optional(),
    exportedDate: str().optional(),
    outputDurationMs: num().optional(),
    outputSizeInBytes: num().optional(),
    sessionId: str().optional(),
    region: str().optional(),
    recordingFileRole: str().optional(),
    recordingErrorStatus: str().optional(),
    creationTime: str().optional(),
    selfUri: str().optional(),
  }),
);
export type Recording = z.infer<typeof Recording>;
export const RecordingList = lazySchema(() =>
  z.array(Recording),
);

/**
 * The 202 body of `/recordings` is not documented. Read only for `estimatedTranscodeTimeMs` hints; anything
 * else (an empty body included) is accepted.
 */
export const TranscodingBody = lazySchema(() =>
  z.union([z.array(z.looseObject({ estimatedTranscodeTimeMs: num().optional() })), z.unknown()]),
);

export const CustomAttributes = lazySchema(() =>
  z.looseObject({
    id: str(),
    name: str().optional(),
    conversationId: str().optional(),
    divisions: z.array(str()).optional(),
    customAttributes: z.record(str(), z.unknown()).optional(),
    customAttributesTimestamps: z.record(str(), str()).optional(),
    version: num().optional(),
    dateCreated: str().optional(),
    dateModified: str().optional(),
    selfUri: str().optional(),
  }),
);
export type CustomAttributes = z.infer<typeof CustomAttributes>;

export const CustomAttributesListing = lazySchema(() =>
  z.looseObject({ results: z.array(CustomAttributes).optional() }),
);
export const CustomAttributesIdResponse = lazySchema(() =>
  z.looseObject({ id: str().optional() }),
);

/** Body of `PUT .../customattributes` ("Updating replaces all data with the provided fields"). */
export interface CustomAttributesUpdateRequest {
  id: string;
  divisions?: string[];
  schemaId?: string;
  version?: number;
  customAttributes: Record<string, unknown>;
}
