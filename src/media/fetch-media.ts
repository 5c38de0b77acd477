/**
 * Reading a conversation's recordings: `recordingmetadata` (no media, never waits), or `recordings` with media URIs,
 * which answers 202 while the platform transcodes and 200 once the media is ready (docs/platform-notes.md section f).
 */
import type { GenesysClient } from '../client';
import { TimeoutError } from '../errors';
import { decode } from '../transport/decode';
import { RecordingList, TranscodingBody, type Recording, type RecordingFormatId } from './schemas';
import { collecting, conversationPath } from './util';
import { clockOf } from '../internal/clock';
import { jittered, pollUntil, type Jitter } from '../internal/waits';

/** Up to 10% on top of each transcoding wait, never shorter: spreads workers polling one org. */
export const TRANSCODING_JITTER: Jitter = { kind: 'ratio', ratio: 0.1 };

export interface FetchPlan {
  withMediaUris: boolean;
  formatId: RecordingFormatId;
  mediaFormats: RecordingFormatId[] | undefined;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  deadlineMs: number;
  maxWaitMs: number;
  signal: AbortSignal | undefined;
}

export interface FetchOutcome {
  recordings: Recording[];
  correlationIds: string[];
  /** 202 answers waited out. */
  transcodingPolls: number;
}

/** `correlationIds` receives the id of every response, failures included, as they arrive. */
export async function fetchRecordings(client: GenesysClient, conversationId: string, plan: FetchPlan, correlationIds: string[] = []): Promise<FetchOutcome> {
  const base = conversationPath(conversationId);
  const signal = plan.signal ? { signal: plan.signal } : {};
  if (!plan.withMediaUris) {
    const res = await collecting(correlationIds, () => client.requestWithResponse({ path: `${base}/recordingmetadata`, schema: RecordingList, ...signal }));
    return { recordings: res.data, correlationIds, transcodingPolls: 0 };
  }

  const path = `${base}/recordings`;
  const clock = clockOf(client);
  const started = clock.now();
  const deadline = started + plan.deadlineMs;
  const gaveUp = (polls: number) =>
    new TimeoutError(
      `Recordings of conversation ${conversationId} were still transcoding (202) after ${polls} request(s) over ${clock.now() - started} ms; ` +
        `gave up at the deadline of ${plan.deadlineMs} ms (transcoding.deadlineMs / fetchMedia deadlineMs). Try again later or raise the deadline.`,
      { kind: 'deadline', timeoutMs: plan.deadlineMs, method: 'GET', path }
    );
  let lastPoll = 0;
  return pollUntil<FetchOutcome>(
    async ({ poll }) => {
      // A poll started with no time left could only answer after the deadline.
      if (poll > 1 && clock.now() >= deadline) throw gaveUp(poll - 1);
      lastPoll = poll;
      let res;
      try {
        res = await collecting(correlationIds, () =>
          client.requestWithResponse<unknown>({
            path,
            query: {
              maxWaitMs: plan.maxWaitMs,
              formatId: plan.formatId,
              ...(plan.mediaFormats ? { mediaFormats: plan.mediaFormats } : {}),
            },
            // The platform may hold each request up to maxWaitMs; past our own deadline the answer is no use.
            deadlineMs: Math.max(1, deadline - clock.now()),
            ...signal,
          }),
        );
      } catch (e) {
        if (e instanceof TimeoutError && e.kind === 'deadline' && clock.now() >= deadline) throw gaveUp(poll);
        throw e;
      }
      if (res.status !== 202) {
        const recordings = decode(res.data, RecordingList, {
          method: 'GET',
          path,
          status: res.status,
          ...(res.correlationId ? { correlationId: res.correlationId } : {}),
        });
        return { done: true, value: { recordings, correlationIds, transcodingPolls: poll - 1 } };
      }
      const step = Math.min(plan.maxDelayMs, plan.initialDelayMs * plan.factor ** (poll - 1));
      // The platform's own estimate, when it gives one, beats blind doubling; the cap still applies.
      const hint = Math.min(plan.maxDelayMs, transcodeHint(res.data));
      return { done: false, retryAfterMs: jittered(Math.max(step, hint), TRANSCODING_JITTER, () => clock.random()) };
    },
    {
      clock,
      // Unused: every 202 names its wait (retryAfterMs above); kept as the schedule's shape for reading.
      backoff: { initialDelayMs: plan.initialDelayMs, factor: plan.factor, maxDelayMs: plan.maxDelayMs, jitter: TRANSCODING_JITTER },
      deadline,
      signal: plan.signal,
      immediate: true,
      what: `GET ${path}: the transcoding wait`,
      onWait: (ms) => client.emit('progress', { operation: 'media.transcoding', conversationId, poll: lastPoll, waitMs: ms, elapsedMs: clock.now() - started, deadlineMs: plan.deadlineMs }),
      onDeadline: () => gaveUp(lastPoll),
    },
  );
}

function transcodeHint(body: unknown): number {
  const parsed = TranscodingBody.safeParse(body);
  if (!parsed.success || !Array.isArray(parsed.data)) return 0;
  let max = 0;
  for (const r of parsed.data) {
    const e = (r as { estimatedTranscodeTimeMs?: unknown }).estimatedTranscodeTimeMs;
    if (typeof e === 'number' && Number.isFinite(e) && e > max) max = e;
  }
  return max;
}
