/**
 * Recording deletion protection (docs/platform-notes.md section i; official SDK `putRecordingsDeletionprotection`,
 * `postRecordingsDeletionprotection`):
 * - `PUT /api/v2/recordings/deletionprotection?protect=true|false` with `ConversationDeletionProtectionQuery`
 *   `{ conversationIds }` answers `ManageDeleteProtectionResult { failedUpdates?: [{ conversation: { id, selfUri },
 *   errorMessage, errorCode }] }`. `protect` defaults to true, as in the SDK. Unknown conversations are failed updates.
 * - `POST /api/v2/recordings/deletionprotection` with the same body answers `AddressableEntityRef[]`: the listed
 *   conversations that are protected now.
 * More than `maxProtectionBatch` ids is a 400 (the platform's limit is not in the typings; 100 is our assumption).
 */
import type { OrgCore, RouteDef } from '../engine/context';
import { badRequest, isRecord, json, readJson } from '../engine/http';
import { isProtected, legalHoldSim, protect, release } from '../state/legal-hold-sim';

const PATH = '/api/v2/recordings/deletionprotection';

async function conversationIds(org: OrgCore, request: Request): Promise<string[]> {
  const body = await readJson(request);
  if (!isRecord(body) || !Array.isArray(body.conversationIds)) throw badRequest('conversationIds is required.', 'conversationIds');
  const ids = body.conversationIds;
  if (ids.some((x) => typeof x !== 'string' || x === '')) throw badRequest('conversationIds must be a list of ids.', 'conversationIds');
  const max = legalHoldSim(org).options.maxProtectionBatch;
  if (ids.length > max) throw badRequest(`conversationIds holds ${ids.length} ids; the maximum is ${max}.`, 'conversationIds');
  return ids as string[];
}

const ref = (id: string) => ({ id, selfUri: `/api/v2/conversations/${id}` });

export function recordingsProtectionRoutes(): RouteDef[] {
  return [
    {
      method: 'PUT',
      path: PATH,
      async handler({ org, request, url, now }) {
        const raw = url.searchParams.get('protect');
        if (raw !== null && raw !== 'true' && raw !== 'false') throw badRequest(`protect must be true or false, not '${raw.slice(0, 20)}'.`, 'protect');
        const on = raw !== 'false';
        const ids = await conversationIds(org, request);
        const s = legalHoldSim(org);
        if (on) s.counts.protectCalls++;
        else s.counts.releaseCalls++;
        const failedUpdates: Array<{ conversation: { id: string; selfUri: string }; errorMessage: string; errorCode: string }> = [];
        for (const id of ids) {
          if (org.data.conversationIndex(id) === undefined) {
            failedUpdates.push({ conversation: ref(id), errorMessage: `Conversation ${id} was not found.`, errorCode: 'not.found' });
            continue;
          }
          const fails = on ? s.options.protectFails?.(id) : undefined;
          if (fails === 'reported') {
            failedUpdates.push({ conversation: ref(id), errorMessage: 'Recording protection could not be applied.', errorCode: 'recording.protection.failed' });
            continue;
          }
          if (fails === 'silent') continue;
          if (on) protect(org, id, now);
          else release(org, id, now);
        }
        return json(200, failedUpdates.length ? { failedUpdates } : {});
      },
    },
    {
      method: 'POST',
      path: PATH,
      async handler({ org, request, now }) {
        const ids = await conversationIds(org, request);
        legalHoldSim(org).counts.listCalls++;
        return json(200, ids.filter((id) => isProtected(org, id, now)).map((id) => ref(id.toLowerCase())));
      },
    },
  ];
}
