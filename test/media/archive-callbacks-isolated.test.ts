import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import type { WarningEvent } from '../../src/events';
import { MediaMetadata } from '../../src/media/media-metadata';
import type { ArchiveEventData, ArchiveEventName } from '../../src/media/schemas';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const screenCall = (skip: number) => {
  let seen = 0;
  for (let i = 0; i < sim.data.size; i++) if (sim.data.recordingIds(i).length === 2 && seen++ === skip) return i;
  throw new Error('not in sample');
};

describe('archive callbacks: awaited in order, errors isolated per callback', () => {
  it('a throwing, a rejecting and a hanging callback do not stop the others or fail the write', async () => {
    const cid = sim.data.conversationId(screenCall(0));
    const calls: string[] = [];
    const seen: Array<{ event: ArchiveEventName; data: ArchiveEventData }> = [];
    const warnings: WarningEvent[] = [];
    const onWarning = (w: WarningEvent) => warnings.push(w);
    client.on('warning', onWarning);
    let hangingSignal: AbortSignal | undefined;

    const media = new MediaMetadata(client, {
      callbackTimeoutMs: 40,
      callbacks: [
        function throwsSync() {
          calls.push('throwsSync');
          throw new Error('archive down');
        },
      ],
    });
    media.onArchive(async function rejects(event, data) {
      calls.push('rejects');
      // Mutating its copy must not leak into the next callback's data.
      (data.annotations as Record<string, unknown>)['tampered'] = true;
      throw new TypeError('bad archive response');
    });
    media.onArchive(function hangs(_e, _d, { signal }) {
      calls.push('hangs');
      hangingSignal = signal;
      return new Promise(() => undefined);
    });
    media.onArchive(async (event, data) => {
      calls.push('records');
      seen.push({ event, data });
    });

    try {
      const r = await media.annotate(cid, [{ key: 'archived', value: 'yes', mediaType: 'screen', format: 'webm' }]);
      expect(calls).toEqual(['throwsSync', 'rejects', 'hangs', 'records']);
      expect(r.callbacks.map((c) => [c.name, c.status, c.error])).toEqual([
        ['throwsSync', 'error', 'archive down'],
        ['rejects', 'error', 'bad archive response'],
        ['hangs', 'timeout', 'archive callback hangs did not finish within 40 ms'],
        ['callback#3', 'ok', undefined], // an anonymous function is named by its position
      ]);
      expect(hangingSignal?.aborted).toBe(true);
      expect(warnings.map((w) => w.code)).toEqual(['archive-callback-failed', 'archive-callback-failed', 'archive-callback-timeout']);

      // The write happened and the healthy callback got the full event.
      expect(r.written).toEqual(['archived']);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.event).toBe('annotations.written');
      expect(seen[0]!.data).toMatchObject({
        conversationId: cid,
        attributesId: 'gc-data-annotations',
        annotations: { archived: { value: 'yes', category: 'system', format: 'webm', mediaType: 'screen' } },
        payloadSha256: r.payloadSha256,
        redacted: [],
      });
      expect(seen[0]!.data.annotations).not.toHaveProperty('tampered');
      expect(seen[0]!.data.thumbnailJobs).toHaveLength(1);
      expect(media.auditLog().at(-1)).toMatchObject({ status: 'written', callbacks: { ok: 1, failed: 3 } });
      expect(media.telemetry().operations.archiveCallbacks).toMatchObject({ count: 1, errors: 1 });
    } finally {
      client.off('warning', onWarning);
    }
  });

  it('runs after a recording annotation too, and an unregistered callback is not called', async () => {
    const i = screenCall(1);
    const cid = sim.data.conversationId(i);
    const rid = sim.data.recordingIds(i)[1]!;
    const media = new MediaMetadata(client);
    const events: string[] = [];
    const off = media.onArchive((event, data) => void events.push(`${event}:${data.recordingId ?? ''}`));
    const gone = media.onArchive(() => void events.push('should not run'));
    gone();
    await media.addRecordingAnnotation(cid, rid, { name: 'screen glitch', location: 10 });
    expect(events).toEqual([`recording-annotation.written:${rid}`]);
    off();
    await media.addRecordingAnnotation(cid, rid, { name: 'again' });
    expect(events).toHaveLength(1);
  });

  it('does not run callbacks when the write fails', async () => {
    const media = new MediaMetadata(client);
    let called = false;
    media.onArchive(() => {
      called = true;
    });
    await expect(media.annotate('00000000-0000-0000-0000-000000000000', { a: '1' }, { matrix: { rows: [], byKind: {} } })).rejects.toMatchObject({ status: 404 });
    expect(called).toBe(false);
  });
});
