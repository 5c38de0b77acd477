/**
 * Recording batch download (docs/platform-notes.md section i; official SDK `postRecordingBatchrequests`,
 * `getRecordingBatchrequest`, models BatchDownloadJobSubmission / BatchDownloadJobSubmissionResult /
 * BatchDownloadJobStatusResult / BatchDownloadJobResult):
 * - `POST /api/v2/recording/batchrequests` `{ batchDownloadRequestList: [{ conversationId, recordingId? }] }` ->
 *   `{ id, selfUri }`. A request without `recordingId` stands for every recording of the conversation. More than
 *   `maxBatchSize` requests (default 100) is a 400.
 * - `GET /api/v2/recording/batchrequests/{jobId}` -> `{ id, jobId, expectedResultCount, resultCount, errorCount,
 *   status, results: [{ conversationId, recordingId, resultUrl, contentType } | { conversationId, recordingId,
 *   errorMsg }], selfUri }`. Results arrive over `batchPolls` GETs (partial results meanwhile, `status`
 *   `PROCESSING`, then `COMPLETED`). `resultCount` counts results with a file, `errorCount` those with `errorMsg`
 *   (choices: the typings name the fields, not their exact meaning, nor the status values).
 * - Redacted recordings get `errorMsg` or are left out (`redaction: 'omit'`: then only expected vs received tells);
 *   recordings the retention job deleted get `errorMsg`. `resultUrl` is a pre-signed URL on the files origin
 *   (recording-files.ts), valid for `urlTtlMs` from the GET that produced it.
 */
import type { OrgCore, RouteDef } from '../engine/context';
import { badRequest, isRecord, json, notFound, readJson } from '../engine/http';
import { CONTENT_TYPE, deletedAt, findRecording, legalHoldSim, presignedUrl, recordingInfo, type BatchJobItem } from '../state/legal-hold-sim';
import { ensureFilesOrigin } from '../serve/recording-files';
import { recordingsOf } from '../data/recordings';
import { uuidFor } from '../data/rng';

const BASE = '/api/v2/recording/batchrequests';
/** Id kind of batch jobs (outside streams.ts's ID_KIND range, which belongs to the org's own ids). */
const BATCH_JOB_KIND = 901;

export const REDACTED_ERROR = 'Recording excluded: it contains sensitive data and the caller lacks recording:recording:viewSensitiveData.';
export const DELETED_ERROR = 'Recording not found: it was deleted by the retention policy.';

function expand(org: OrgCore, conversationId: string, recordingId: string | undefined): BatchJobItem[] {
  const s = legalHoldSim(org);
  const index = org.data.conversationIndex(conversationId);
  if (index === undefined) return [{ conversationId, recordingId, error: `Conversation ${conversationId} was not found.`, omitted: false, media: '' }];
  const c = org.data.core(index);
  let list = recordingsOf(org.data, c);
  if (recordingId !== undefined) {
    const found = findRecording(org, conversationId, recordingId);
    if (!found) return [{ conversationId: c.id, recordingId, error: `Recording ${recordingId} was not found.`, omitted: false, media: '' }];
    list = [found.r];
  }
  return list.map((r) => {
    const item: BatchJobItem = { conversationId: c.id, recordingId: r.id, error: undefined, omitted: false, media: r.media };
    if (deletedAt(org, c.id, r) !== undefined) item.error = DELETED_ERROR;
    else if (s.options.redacted?.(recordingInfo(org, c, r))) {
      if (s.options.redaction === 'omit') item.omitted = true;
      else item.error = REDACTED_ERROR;
    }
    return item;
  });
}

export function recordingBatchRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: BASE,
      async handler({ org, request, now }) {
        const body = await readJson(request);
        if (!isRecord(body) || !Array.isArray(body.batchDownloadRequestList)) {
          throw badRequest('batchDownloadRequestList is required.', 'batchDownloadRequestList');
        }
        const list = body.batchDownloadRequestList;
        const s = legalHoldSim(org);
        if (list.length === 0) throw badRequest('batchDownloadRequestList is empty.', 'batchDownloadRequestList');
        if (list.length > s.options.maxBatchSize) {
          throw badRequest(`batchDownloadRequestList holds ${list.length} requests; the maximum is ${s.options.maxBatchSize}.`, 'batchDownloadRequestList');
        }
        const items: BatchJobItem[] = [];
        for (const [i, entry] of list.entries()) {
          if (!isRecord(entry) || typeof entry.conversationId !== 'string' || entry.conversationId === '') {
            throw badRequest(`batchDownloadRequestList[${i}].conversationId is required.`, `batchDownloadRequestList[${i}].conversationId`);
          }
          if (entry.recordingId !== undefined && typeof entry.recordingId !== 'string') {
            throw badRequest(`batchDownloadRequestList[${i}].recordingId must be a string.`, `batchDownloadRequestList[${i}].recordingId`);
          }
          items.push(...expand(org, entry.conversationId, entry.recordingId as string | undefined));
        }
        s.counts.batchSubmits++;
        const id = uuidFor(org.options.seed, BATCH_JOB_KIND, s.jobSeq++);
        s.jobs.set(id, { id, items, polls: 0, createdAt: now });
        return json(200, { id, selfUri: `${BASE}/${id}` });
      },
    },
    {
      method: 'GET',
      path: `${BASE}/{jobId}`,
      async handler({ org, params }) {
        await ensureFilesOrigin(org);
        const s = legalHoldSim(org);
        const job = s.jobs.get((params.jobId ?? '').toLowerCase());
        if (!job) throw notFound(`Batch download job ${params.jobId ?? ''} was not found.`);
        s.counts.batchPolls++;
        job.polls++;
        const n = job.items.length;
        const revealed = Math.min(n, Math.ceil((n * job.polls) / Math.max(1, s.options.batchPolls)));
        const results: Array<Record<string, string>> = [];
        let resultCount = 0;
        let errorCount = 0;
        for (const item of job.items.slice(0, revealed)) {
          if (item.omitted) continue;
          const base: Record<string, string> = { conversationId: item.conversationId };
          if (item.recordingId !== undefined) base.recordingId = item.recordingId;
          const found = item.error === undefined && item.recordingId ? findRecording(org, item.conversationId, item.recordingId) : undefined;
          // A recording deleted after submission is reported as deleted when its result is produced.
          if (found && deletedAt(org, found.c.id, found.r) === undefined) {
            results.push({ ...base, resultUrl: presignedUrl(org, found.c, found.r), contentType: CONTENT_TYPE[found.r.media] });
            resultCount++;
          } else {
            results.push({ ...base, errorMsg: item.error ?? DELETED_ERROR });
            errorCount++;
          }
        }
        return json(200, {
          id: job.id,
          jobId: job.id,
          expectedResultCount: n,
          resultCount,
          errorCount,
          status: revealed < n ? 'PROCESSING' : 'COMPLETED',
          results,
          selfUri: `${BASE}/${job.id}`,
        });
      },
    },
  ];
}
