/**
 * The channel-split dedupe on resume (src/quality/discovery.ts: "an evaluation in two channel groups is exported by
 * the first pass that meets it"). The simulated org's `multiChannelShare` gives conversations a second media type,
 * so with `splitByMediaType` a call-and-chat conversation's evaluations are found by the voice pass and again by the
 * digital pass. An export stopped at several points (before, at and after the passes' boundary; abort, which saves
 * on the way out, or crash, which does not) and resumed each time from the same checkpoint ends with every
 * evaluation once, equal to the org's truth, each under the channel of the group that exported it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink, FileCheckpoint } from '@org/gc-data/sinks';
import { QualityExporter, type QualityExportState } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';
import { killedQualityRun, ndjsonRows } from '../support/kill';

const sim = useSimulatedOrg({ multiChannelShare: 0.35 });
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';
const VOICE_GROUP = ['voice', 'callback'];
const isVoice = (m: string) => VOICE_GROUP.includes(m);

interface Row {
  evaluation_id: string;
  media_type: string | null;
}

/** The org's truth for the export: every finished agent evaluation, and what the voice pass holds. */
function truth() {
  const all = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
  const inVoice = all.filter((t) => t.mediaTypes.some(isVoice));
  const inBoth = inVoice.filter((t) => t.mediaTypes.some((m) => !isVoice(m)));
  return { all, inVoice, inBoth };
}

describe('QualityExporter, splitByMediaType over multi-channel conversations', () => {
  it('the org has evaluations in both channel groups, and the digital pass meets them again', () => {
    const { all, inVoice, inBoth } = truth();
    expect(all.length).toBeGreaterThan(150);
    // Without the dedupe these would be written twice; enough of them that a kill lands among them.
    expect(inBoth.length).toBeGreaterThan(20);
    // Some are a chat (or message, email) first and a call second: their Quality `mediaType` lists the digital one first.
    expect(inBoth.some((t) => !isVoice(t.mediaType))).toBe(true);
    expect(inVoice.length).toBeLessThan(all.length);
  });

  it('an export that is not interrupted writes each once, under the channel of the first group (voice)', async () => {
    const { all, inBoth } = truth();
    for (const strategy of ['details', 'search'] as const) {
      const out = join(mkdtempSync(join(tmpdir(), 'gc-mc-')), 'evaluations.ndjson');
      const sink = createNdjsonSink(out);
      const summary = await new QualityExporter(sim.client(), { strategy }).exportTo(sink, { interval, splitByMediaType: true });
      await sink.close();
      const rows = ndjsonRows<Row>(out);
      expect(rows.map((r) => r.evaluation_id).sort(), strategy).toEqual(all.map((t) => t.evaluationId).sort());
      const byId = new Map(rows.map((r) => [r.evaluation_id, r]));
      for (const t of inBoth) expect(isVoice(byId.get(t.evaluationId)?.media_type ?? ''), `${strategy} ${t.evaluationId} ${t.mediaTypes.join('+')}`).toBe(true);
      expect(summary.passes.map((p) => p.rows)).toEqual([truth().inVoice.length, all.length - truth().inVoice.length]);
    }
  });

  const cases = [
    { strategy: 'details', crash: false },
    { strategy: 'details', crash: true },
    { strategy: 'search', crash: false },
    { strategy: 'search', crash: true },
  ] as const;

  for (const c of cases) {
    it(`${c.strategy}, ${c.crash ? 'crash (no save on the way out)' : 'abort'}: killed around and after the passes' boundary, every evaluation once`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gc-mc-'));
      const out = join(dir, 'evaluations.ndjson');
      const file = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
      const { all, inVoice, inBoth } = truth();
      const n = all.length;
      const v = inVoice.length;
      // Rows in the file when each run is killed: inside the voice pass, at its last row, at the digital pass's
      // first row, inside the digital pass (where it meets evaluations the voice pass wrote), near the end.
      const stops = [Math.floor(v / 2), v, v + 1, v + Math.floor((n - v) / 3), v + Math.floor(((n - v) * 2) / 3), n - 2];
      const request = { interval, splitByMediaType: true };
      const options = { strategy: c.strategy, ...(c.strategy === 'details' ? { pageSize: 25 } : { searchPageSize: 25 }) };
      const resumedInDigital: boolean[] = [];
      for (const [run, stopAt] of stops.entries()) {
        const { error, saved } = await killedQualityRun(sim.client(), { file, out, stopAt, crash: c.crash, options, request: { ...request, checkpointEvery: 7 } });
        expect((error as Error).name, `run ${run + 1}`).toBe('AbortError');
        resumedInDigital.push(saved?.cursor.pass === 1);
        expect(ndjsonRows(out).length).toBeGreaterThanOrEqual(saved?.rows ?? 0);
      }
      // The later kills left a checkpoint inside the digital pass: those resumes replayed the voice pass to learn ids.
      expect(resumedInDigital.slice(-3)).toEqual([true, true, true]);

      const sink = createNdjsonSink(out, { append: true });
      const summary = await new QualityExporter(sim.client(), options).exportTo(sink, { ...request, checkpoint: file, checkpointEvery: 7 });
      await sink.close();
      expect(summary.resumed).toBe(true);
      const rows = ndjsonRows<Row>(out);
      const written = rows.map((r) => r.evaluation_id);
      expect(new Set(written).size, 'no evaluation twice').toBe(written.length);
      expect([...written].sort()).toEqual(all.map((t) => t.evaluationId).sort());
      const byId = new Map(rows.map((r) => [r.evaluation_id, r]));
      for (const t of inBoth) expect(isVoice(byId.get(t.evaluationId)?.media_type ?? ''), t.evaluationId).toBe(true);
      expect((await file.load())?.finished).toBe(true);
    });
  }
});
