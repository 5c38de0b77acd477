import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { AbortError, TimeoutError, ValidationError } from '../../src/errors';
import type { ProgressEvent } from '../../src/events';
import { MediaMetadata } from '../../src/media/media-metadata';
import { createFakeClock, createSimulatedOrg, type FakeClock, type SimulatedOrgHandle } from '../../src/testing/index';
import { useSimulatedOrg } from '../support/sim';

const RECORDINGS = 'GET /api/v2/conversations/{conversationId}/recordings';
const METADATA = 'GET /api/v2/conversations/{conversationId}/recordingmetadata';
/**
 * Every wait runs on a fake clock given to the client (issue 17): with `autoAdvance` a wait ends at once while the
 * clock moves by its length, so schedules and deadlines are exact and nothing races the machine's load.
 */
const fast = { initialDelayMs: 200, maxDelayMs: 1000 };

const fixture = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false, transcodingPolls: 3 });
const { server } = fixture;

/** An org, its first screen-recorded call, and a fresh client for each test. */
function setup(sim: SimulatedOrgHandle) {
  // A recorded call with a screen recording: two recordings (audio + screen).
  let screen = '';
  for (let i = 0; i < sim.data.size && !screen; i++) if (sim.data.recordingIds(i).length === 2) screen = sim.data.conversationId(i);
  const org = { sim, screen, client: undefined as unknown as GenesysClient, clock: undefined as unknown as FakeClock };
  beforeEach(() => {
    org.clock = createFakeClock({ autoAdvance: true });
    org.client = fixture.client({ clock: org.clock });
  });
  return org;
}

const slow = setup(fixture.org);
// A second org on the same hosts, never done transcoding: the tests that need it put its handlers first with server.use().
const never = setup(createSimulatedOrg({ seed: 7, conversations: 200, rateLimit: false, transcodingPolls: 1000 }));

describe('fetchMedia', () => {
  it('reads recordingmetadata by default: one request, no media URIs', async () => {
    const { sim, client, screen } = slow;
    sim.stats.reset();
    const media = new MediaMetadata(client);
    const recs = await media.fetchMedia(screen);
    expect(recs.map((r) => r.media).sort()).toEqual(['audio', 'screen']);
    expect(recs.every((r) => r.mediaUris === undefined)).toBe(true);
    expect(sim.stats.count(METADATA, 200)).toBe(1);
    expect(sim.stats.count(RECORDINGS)).toBe(0);
  });

  it('with media URIs waits out 202 (transcoding) with backoff, then returns the 200 recordings', async () => {
    const { sim, client, screen } = slow;
    sim.stats.reset();
    const progress: ProgressEvent[] = [];
    const onProgress = (e: ProgressEvent) => progress.push(e);
    client.on('progress', onProgress);
    try {
      const media = new MediaMetadata(client, { transcoding: fast });
      const recs = await media.fetchMedia(screen, { withMediaUris: true, formatId: 'MP3' });
      expect(sim.stats.count(RECORDINGS, 202)).toBe(3);
      expect(sim.stats.count(RECORDINGS, 200)).toBe(1);
      const audio = recs.find((r) => r.media === 'audio')!;
      const scr = recs.find((r) => r.media === 'screen')!;
      expect(audio.mediaUris?.S?.mediaUri).toMatch(/\.mp3\?/);
      expect(scr.mediaUris?.['0']?.mediaUri).toMatch(/\.webm\?/);
      const waits = progress.filter((p) => p.operation === 'media.transcoding');
      expect(waits.map((p) => p.poll)).toEqual([1, 2, 3]);
      // The 202s carry estimatedTranscodeTimeMs: honoured over the 200 ms step, never past maxDelayMs (+<=10% jitter).
      for (const w of waits) expect(w.waitMs).toBeGreaterThan(200);
      for (const w of waits) expect(w.waitMs).toBeLessThanOrEqual(1100);
      // The clock moved by exactly the waits announced.
      expect(slow.clock.sleeps).toEqual(waits.map((w) => w.waitMs));
      expect(media.telemetry().operations.fetchMedia).toMatchObject({ count: 1, errors: 0 });
    } finally {
      client.off('progress', onProgress);
    }
  });

  it('without an estimate from the platform, the wait doubles from initialDelayMs up to maxDelayMs', async () => {
    const { client, screen } = slow;
    let n = 0;
    server.use(
      http.get(`${slow.sim.apiBaseUrl}/api/v2/conversations/${screen}/recordings`, () => {
        if (n++ < 4) return HttpResponse.json([], { status: 202 });
      }),
    );
    const progress: ProgressEvent[] = [];
    const onProgress = (e: ProgressEvent) => progress.push(e);
    client.on('progress', onProgress);
    try {
      const media = new MediaMetadata(client, { transcoding: { initialDelayMs: 400, maxDelayMs: 2000, factor: 2 } });
      const recs = await media.fetchMedia(screen, { withMediaUris: true });
      expect(recs).toHaveLength(2);
      const ms = progress.filter((p) => p.operation === 'media.transcoding').map((p) => p.waitMs as number);
      expect(ms.length).toBeGreaterThanOrEqual(4);
      // 400, 800, 1600, 2000 (capped) for our 202s, each with up to 10% jitter on top.
      const base = [400, 800, 1600, 2000];
      base.forEach((b, i) => {
        expect(ms[i]).toBeGreaterThanOrEqual(b);
        expect(ms[i]).toBeLessThanOrEqual(Math.ceil(b * 1.1));
      });
    } finally {
      client.off('progress', onProgress);
    }
  });

  it('sends the real query parameters: maxWaitMs and formatId (or mediaFormats)', async () => {
    const { client, screen } = slow;
    const seen: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/recordings')) seen.push(new URL(request.url));
    });
    try {
      const media = new MediaMetadata(client, { transcoding: { ...fast, maxWaitMs: 2500 } });
      await media.fetchMedia(screen, { withMediaUris: true, mediaFormats: ['WAV'] });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]!.searchParams.get('maxWaitMs')).toBe('2500');
      expect(seen[0]!.searchParams.get('formatId')).toBe('WEBM');
      expect(seen[0]!.searchParams.getAll('mediaFormats')).toEqual(['WAV']);
    } finally {
      server.events.removeAllListeners('request:start');
    }
  });

  it('gives up at the deadline with TimeoutError kind "deadline" and a clear message', async () => {
    // Both orgs answer on the same hosts; handlers added with use() (the never-ready org's) take precedence.
    server.use(...never.sim.handlers);
    const { client, clock } = never;
    never.sim.stats.reset();
    const media = new MediaMetadata(client, { transcoding: fast });
    const started = clock.now();
    const err = await media.fetchMedia(never.screen, { withMediaUris: true, deadlineMs: 6000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).kind).toBe('deadline');
    expect((err as TimeoutError).message).toMatch(/still transcoding \(202\)/);
    expect((err as TimeoutError).message).toMatch(/deadline of 6000 ms/);
    // The last wait is cut to end at the deadline, by the client's clock, and no poll starts after it.
    expect(clock.now() - started).toBe(6000);
    const polls = never.sim.stats.count(RECORDINGS, 202);
    expect(polls).toBeGreaterThanOrEqual(6);
    expect(clock.sleeps).toHaveLength(polls);
    expect((err as TimeoutError).message).toContain(`after ${polls} request(s) over 6000 ms`);
    expect(media.telemetry().operations.fetchMedia).toMatchObject({ count: 1, errors: 1 });
  });

  it('stops waiting when the caller aborts', async () => {
    server.use(...never.sim.handlers);
    const clock = createFakeClock();
    const client = fixture.client({ clock });
    const media = new MediaMetadata(client, { transcoding: { initialDelayMs: 5000, maxDelayMs: 5000 } });
    const ac = new AbortController();
    const fetching = media.fetchMedia(never.screen, { withMediaUris: true, signal: ac.signal }).catch((e: unknown) => e);
    await clock.untilSleeping(); // the first 202 was answered: the wait is parked on the clock
    ac.abort(new Error('stop'));
    const err = await fetching;
    expect(err).toBeInstanceOf(AbortError);
    expect(never.sim.stats.count(RECORDINGS, 202)).toBeGreaterThanOrEqual(1);
  });

  it('validates its options and the id before sending anything', async () => {
    const { sim, client } = slow;
    sim.stats.reset();
    const media = new MediaMetadata(client);
    await expect(media.fetchMedia('a/b')).rejects.toBeInstanceOf(ValidationError);
    // @ts-expect-error: an unknown format id
    await expect(media.fetchMedia('x', { formatId: 'FLAC' })).rejects.toThrow(/formatId/);
    expect(sim.stats.totalRequests).toBe(0);
  });
});
