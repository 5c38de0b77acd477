/**
 * Recording metadata, recordings and recording annotations (docs/platform-notes.md section f).
 * - `/recordings` answers 202 for the first `transcodingPolls` calls per conversation and format, then 200 with
 *   `mediaUris`. Choice: the 202 carries the recordings without media plus `estimatedTranscodeTimeMs` (the platform's
 *   202 body is not documented); `maxWaitMs` is accepted and ignored.
 * - A conversation without recordings answers 200 `[]` (choice); an unknown conversation 404.
 * - Annotation POST validates `description` <= 500 characters (400 otherwise) and creates or updates by `id`.
 */
import type { OrgCore, RouteDef } from '../engine/context';
import type { ConversationCore } from '../data/dataset';
import { badRequest, isRecord, json, notFound, readJson } from '../engine/http';
import { FORMAT_IDS, recording, recordingMetadata, recordingsOf, type FormatId, type RecordingCore } from '../data/recordings';
import { uuidFor } from '../data/rng';
import { ID_KIND } from '../data/streams';
import type { SimAnnotation } from '../data/types';

export const ANNOTATION_DESCRIPTION_MAX = 500;
const CONV = '/api/v2/conversations/{conversationId}';

function conversation(org: OrgCore, id: string): ConversationCore {
  const index = org.data.conversationIndex(id);
  if (index === undefined) throw notFound(`Conversation ${id} was not found.`);
  return org.data.core(index);
}

function recordingOf(org: OrgCore, c: ConversationCore, id: string): RecordingCore {
  const r = recordingsOf(org.data, c).find((x) => x.id === id.toLowerCase());
  if (!r) throw notFound(`Recording ${id} was not found on conversation ${c.id}.`);
  return r;
}

function formatOf(url: URL): FormatId {
  const raw = url.searchParams.getAll('mediaFormats')[0] ?? url.searchParams.get('formatId') ?? 'WEBM';
  if (!(FORMAT_IDS as readonly string[]).includes(raw)) throw badRequest(`formatId '${raw}' is not one of ${FORMAT_IDS.join(', ')}.`, 'formatId');
  return raw as FormatId;
}

/** True once this conversation+format has been polled more than `transcodingPolls` times. */
function ready(org: OrgCore, c: ConversationCore, format: FormatId): boolean {
  if (format === 'NONE') return true;
  return org.media.poll(c.id, format) >= org.options.transcodingPolls;
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`${key} must be a non-negative number.`, key);
  return v;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string.`, key);
  return v;
}

export function mediaRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: `${CONV}/recordingmetadata`,
      handler({ org, params }) {
        const c = conversation(org, params.conversationId ?? '');
        return json(200, recordingsOf(org.data, c).map((r) => recordingMetadata(c, r, org.media.annotationsOf(r.id))));
      },
    },
    {
      method: 'GET',
      path: `${CONV}/recordingmetadata/{recordingId}`,
      handler({ org, params }) {
        const c = conversation(org, params.conversationId ?? '');
        const r = recordingOf(org, c, params.recordingId ?? '');
        return json(200, recordingMetadata(c, r, org.media.annotationsOf(r.id)));
      },
    },
    {
      method: 'GET',
      path: `${CONV}/recordings`,
      handler({ org, params, url }) {
        const c = conversation(org, params.conversationId ?? '');
        const format = formatOf(url);
        const list = recordingsOf(org.data, c);
        const done = list.length === 0 || ready(org, c, format);
        const body = list.map((r) => recording(c, r, org.media.annotationsOf(r.id), format, done, org.options.seed));
        return json(done ? 200 : 202, body);
      },
    },
    {
      method: 'GET',
      path: `${CONV}/recordings/{recordingId}`,
      handler({ org, params, url }) {
        const c = conversation(org, params.conversationId ?? '');
        const r = recordingOf(org, c, params.recordingId ?? '');
        const format = formatOf(url);
        const done = ready(org, c, format);
        return json(done ? 200 : 202, recording(c, r, org.media.annotationsOf(r.id), format, done, org.options.seed));
      },
    },
    {
      method: 'GET',
      path: `${CONV}/recordings/{recordingId}/annotations`,
      handler({ org, params }) {
        const c = conversation(org, params.conversationId ?? '');
        return json(200, org.media.annotationsOf(recordingOf(org, c, params.recordingId ?? '').id));
      },
    },
    {
      method: 'POST',
      path: `${CONV}/recordings/{recordingId}/annotations`,
      async handler({ org, params, request }) {
        const c = conversation(org, params.conversationId ?? '');
        const r = recordingOf(org, c, params.recordingId ?? '');
        const body = await readJson(request);
        if (!isRecord(body)) throw badRequest('The body must be an Annotation object.');
        const description = optionalString(body, 'description');
        if (description !== undefined && description.length > ANNOTATION_DESCRIPTION_MAX) {
          throw badRequest(`description is ${description.length} characters; the maximum is ${ANNOTATION_DESCRIPTION_MAX}.`, 'description');
        }
        const id = optionalString(body, 'id') ?? uuidFor(org.options.seed, ID_KIND.annotation, org.media.nextAnnotationSeq());
        const a: SimAnnotation = { id, selfUri: `/api/v2/conversations/${c.id}/recordings/${r.id}/annotations/${id}` };
        const name = optionalString(body, 'name');
        const type = optionalString(body, 'type');
        const reason = optionalString(body, 'reason');
        const location = optionalNumber(body, 'location');
        const durationMs = optionalNumber(body, 'durationMs');
        if (name !== undefined) a.name = name;
        a.type = type ?? 'Bookmark';
        if (location !== undefined) a.location = location;
        if (durationMs !== undefined) a.durationMs = durationMs;
        if (location !== undefined) a.absoluteLocation = location;
        if (durationMs !== undefined) a.absoluteDurationMs = durationMs;
        if (description !== undefined) a.description = description;
        if (reason !== undefined) a.reason = reason;
        org.media.upsertAnnotation(r.id, a);
        return json(200, a);
      },
    },
  ];
}
