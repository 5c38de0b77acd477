import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { MediaMetadata } from '../../src/media/media-metadata';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const CONV = '/api/v2/conversations/{conversationId}';
/** Recorded calls with a screen recording have two recordings (audio + screen). */
const withScreen = (skip = 0) => {
  let seen = 0;
  for (let i = 0; i < sim.data.size; i++) if (sim.data.recordingIds(i).length === 2 && seen++ === skip) return sim.data.conversationId(i);
  throw new Error('no screen-recorded conversation in the sample');
};

describe('annotate: happy path against the simulated org', () => {
  it('reads the media, writes every annotation in one PUT, and reports keys, version, attempts and correlation ids', async () => {
    const cid = withScreen(0);
    const media = new MediaMetadata(client);
    const r = await media.annotate(cid, [
      { key: 'media.duration_sec', value: '142', mediaType: 'voice', format: 'wav', category: 'technical' },
      { key: 'media.quality_score', value: '0.89', mediaType: 'audio', format: 'WAV', category: 'analytics' },
      { key: 'screen.capture_source', value: 'agent_desktop', mediaType: 'screen', format: 'mp4' },
    ]);

    expect(r).toMatchObject({
      conversationId: cid,
      attributesId: 'gc-data-annotations',
      version: null,
      written: ['media.duration_sec', 'media.quality_score', 'screen.capture_source'],
      removed: [],
      redacted: [],
      overwroteConcurrent: [],
      attempts: 1,
      callbacks: [],
    });
    expect(r.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.correlationIds).toHaveLength(3);
    expect(Object.keys(r.matrix.byKind).sort()).toEqual(['audio', 'screen']);
    expect(r.thumbnails.jobs).toHaveLength(1);
    expect(r.thumbnails.jobs[0]).toMatchObject({ action: 'generate_thumbnail', format: 'jpeg', width: 320, height: 240 });

    expect(sim.stats.count(`GET ${CONV}/recordingmetadata`, 200)).toBe(1);
    expect(sim.stats.count(`GET ${CONV}/customattributes`, 200)).toBe(1);
    expect(sim.stats.count(`PUT ${CONV}/customattributes`, 200)).toBe(1);

    const record = await client.request<{ version: number; customAttributes: Record<string, unknown> }>({
      path: `/api/v2/conversations/${cid}/customattributes/gc-data-annotations`,
    });
    expect(record.version).toBe(1);
    expect(record.customAttributes).toEqual({
      'media.duration_sec': { value: '142', category: 'technical', format: 'wav', mediaType: 'audio', source: 'automated_parser' },
      'media.quality_score': { value: '0.89', category: 'analytics', format: 'wav', mediaType: 'audio', source: 'automated_parser' },
      'screen.capture_source': { value: 'agent_desktop', category: 'system', format: 'mp4', mediaType: 'screen', source: 'automated_parser' },
    });
  });

  it('a second call updates with the current version and keeps the keys it does not name; remove deletes', async () => {
    const cid = withScreen(1);
    const media = new MediaMetadata(client);
    await media.annotate(cid, { 'qa.reviewed': 'no', 'qa.reviewer': { value: 'team-b', category: 'qa' } });
    const second = await media.annotate(cid, { 'qa.reviewed': 'yes' }, { remove: ['qa.reviewer', 'not.there'] });
    expect(second).toMatchObject({ version: 1, written: ['qa.reviewed'], removed: ['qa.reviewer'], attempts: 1 });

    await media.annotate(cid, [{ key: 'qa.score', value: '87', category: 'qa' }]);
    const record = await client.request<{ version: number; customAttributes: Record<string, unknown> }>({
      path: `/api/v2/conversations/${cid}/customattributes/gc-data-annotations`,
    });
    expect(record.version).toBe(3);
    expect(record.customAttributes).toEqual({
      'qa.reviewed': { value: 'yes', category: 'system', source: 'automated_parser' },
      'qa.score': { value: '87', category: 'qa', source: 'automated_parser' },
    });
  });

  it('skips the media read when the caller passes a matrix, and records telemetry and an audit entry per call', async () => {
    const cid = withScreen(2);
    const media = new MediaMetadata(client);
    const matrix = media.matrixOf(await media.fetchMedia(cid));
    sim.stats.reset();
    const r = await media.annotate(cid, [{ key: 'screen.note', value: 'ok', mediaType: 'screen', format: 'webm' }], { matrix });
    expect(sim.stats.count(`GET ${CONV}/recordingmetadata`)).toBe(0);
    expect(r.correlationIds).toHaveLength(2);

    const t = media.telemetry();
    expect(t.operations.annotate).toMatchObject({ count: 1, errors: 0 });
    expect(t.operations['customattributes.put']).toMatchObject({ count: 1 });
    expect(t.operations.fetchMedia).toMatchObject({ count: 1 });
    expect(t.validation).toEqual({ checked: 1, accepted: 1, rejected: 0, redacted: 0, truncated: 0, accuracyRate: 1 });
    const [entry] = media.auditLog();
    expect(entry).toMatchObject({ operation: 'annotate', conversationId: cid, status: 'written', payloadSha256: r.payloadSha256, attempts: 1 });
    expect(entry!.correlationIds).toEqual(r.correlationIds);
    expect(Number.isNaN(Date.parse(entry!.time))).toBe(false);
    expect(entry!.time.endsWith('Z')).toBe(true);
    expect(Object.keys(entry!.latencyMs)).toEqual(expect.arrayContaining(['total', 'validate', 'read', 'write']));
  });
});
