import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMediaMatrix, planThumbnailJobs, type RecordingLike } from '@org/gc-data/media-matrix';

describe('planThumbnailJobs (pure function of the matrix)', () => {
  it('plans one jpeg 320x240 job per readable screen recording and says why others are skipped', () => {
    const matrix = buildMediaMatrix([
      { id: 'a1', conversationId: 'c1', media: 'audio', fileState: 'AVAILABLE' },
      { id: 's1', conversationId: 'c1', media: 'screen', fileState: 'AVAILABLE' },
      { id: 's2', conversationId: 'c1', media: 'screen', fileState: 'ARCHIVED' },
      { id: 's3', conversationId: 'c1', media: 'screen', fileState: 'RESTORED' },
      { id: 's4', conversationId: 'c1', media: 'screen' },
      { id: 's5', conversationId: 'c1', media: 'screen', fileState: 'DELETED' },
    ]);
    const plan = planThumbnailJobs(matrix);
    expect(plan.jobs.map((j) => j.recordingId)).toEqual(['s1', 's3', 's4']);
    expect(plan.jobs[0]).toEqual({
      jobKey: 'c1/s1/thumbnail-320x240.jpeg',
      conversationId: 'c1',
      recordingId: 's1',
      action: 'generate_thumbnail',
      status: 'queued',
      format: 'jpeg',
      width: 320,
      height: 240,
    });
    expect(plan.skipped).toEqual([
      { recordingId: 's2', reason: 'fileState ARCHIVED' },
      { recordingId: 's5', reason: 'fileState DELETED' },
    ]);
  });

  it('follows options and matrix rules (a kind can be given thumbnails)', () => {
    const matrix = buildMediaMatrix([{ id: 'e1', media: 'email', fileState: 'AVAILABLE' }, { id: 's1', media: 'screen', fileState: 'ARCHIVED' }], {
      rules: { email: { thumbnail: true } },
    });
    const plan = planThumbnailJobs(matrix, { format: 'webp', width: 640, height: 360, fileStates: ['AVAILABLE', 'ARCHIVED'] });
    expect(plan.jobs.map((j) => j.jobKey)).toEqual(['-/e1/thumbnail-640x360.webp', '-/s1/thumbnail-640x360.webp']);
    expect(() => planThumbnailJobs(matrix, { width: 0, height: 1.5 })).toThrow(/width.*\n.*height|height/s);
  });

  it('property: deterministic, job keys unique, only thumbnail rows, jobs + skipped = thumbnail rows', () => {
    const rec: fc.Arbitrary<RecordingLike> = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      conversationId: fc.constantFrom('c1', 'c2'),
      media: fc.constantFrom('audio', 'screen', 'chat', 'email'),
      fileState: fc.constantFrom('AVAILABLE', 'ARCHIVED', 'DELETED', 'UPLOADING'),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 20 }), (recs) => {
        const matrix = buildMediaMatrix(recs);
        const plan = planThumbnailJobs(matrix);
        expect(planThumbnailJobs(matrix)).toEqual(plan);
        expect(new Set(plan.jobs.map((j) => j.jobKey)).size).toBe(plan.jobs.length);
        const thumbRows = matrix.rows.filter((r) => r.thumbnail).map((r) => r.recordingId);
        expect([...plan.jobs.map((j) => j.recordingId), ...plan.skipped.map((s) => s.recordingId)].sort()).toEqual([...thumbRows].sort());
        for (const j of plan.jobs) expect(matrix.rows.find((r) => r.recordingId === j.recordingId)!.kind).toBe('screen');
      }),
      { numRuns: 200 },
    );
  });
});
