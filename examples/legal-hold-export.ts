/**
 * Seed 000: a legal-hold export of quality evaluations, voice *and* digital channels, without the 400s.
 *
 * The seed's `POST /api/v2/quality/evaluations/export` does not exist. Its intent, every evaluation of a period for
 * discovery, becomes: an export spec validated before anything is sent (an unknown channel such as "webrtc" is
 * refused with zero requests), one pass per channel group (voice, digital) into its own file, every status and
 * calibrations included, and a manifest with row counts and sha256 digests for chain of custody. A 400 from the
 * platform would be printed with its message, code, fields and correlation id.
 *
 *   npx tsx examples/legal-hold-export.ts [START_DATE END_DATE]      dates YYYY-MM-DD, end exclusive
 *
 * Default: the last 7 full UTC days. With no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET it runs against the simulated org.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BadRequestError,
  createSinkForPath,
  FileCheckpoint,
  formatInterval,
  lastFullUtcDay,
  MEDIA_TYPE_GROUPS,
  parseInterval,
  QualityExporter,
  ValidationError,
  type QualityExportState,
} from '@org/gc-data';
import { connect, outDir, report } from './lib/connect';

const [from, to] = process.argv.slice(2);
const end = parseInterval(lastFullUtcDay()).endMs;
const interval = from && to ? `${from}T00:00:00Z/${to}T00:00:00Z` : formatInterval(end - 7 * 86_400_000, end);
const dir = outDir('legal-hold');

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const { client, target, close } = await connect();
try {
  // Everything on hold: every status, calibrations included. The search strategy returns answers with each result,
  // about 100x fewer requests than one GET per evaluation.
  const exporter = new QualityExporter(client, {
    strategy: 'search',
    calibrations: 'include',
    evaluationStatus: ['Finished', 'InProgress', 'InReview', 'Pending', 'Retracted'],
  });

  // 1. A bad spec never reaches the platform: the seed's "webrtc" is not a media type of the details API.
  const before = client.stats().requests;
  try {
    await exporter.exportTo(createSinkForPath('-'), { interval, mediaTypes: ['voice', 'webrtc'] });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    console.log(`Refused before sending (${client.stats().requests - before} requests): ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }

  // 2. One pass per channel group, each to its own file with its own checkpoint (a rerun resumes, never duplicates).
  const manifest: Record<string, unknown> = { interval, generatedAt: new Date().toISOString(), source: target, files: [] as unknown[] };
  const lines: Array<[string, string]> = [['interval', interval]];
  for (const [channel, mediaTypes] of Object.entries(MEDIA_TYPE_GROUPS)) {
    const file = join(dir, `${channel}.ndjson`);
    const sink = createSinkForPath(file, { append: true, fsync: true });
    try {
      const summary = await exporter.exportTo(sink, {
        interval,
        mediaTypes: [...mediaTypes],
        checkpoint: new FileCheckpoint<QualityExportState>(join(dir, `${channel}.checkpoint.json`), { kind: 'quality-export' }),
      });
      await sink.close();
      const digest = await sha256(file);
      (manifest.files as unknown[]).push({ channel, mediaTypes, file: `${channel}.ndjson`, rows: summary.rows + summary.calibrationRows, sha256: digest, requests: summary.requests });
      lines.push([channel, `${summary.rows} evaluation(s) (${mediaTypes.join(', ')}) -> ${file}, sha256 ${digest.slice(0, 16)}..., ${summary.requests} request(s)`]);
    } catch (e) {
      await sink.close();
      if (e instanceof BadRequestError) {
        // What the seed's thread never had: the platform's own words and the id Genesys support needs.
        console.error(`${channel}: the platform refused the query: ${e.message} [${e.code}] fields=${JSON.stringify(e.details)} correlationId=${e.correlationId}`);
      }
      throw e;
    }
  }
  const manifestPath = join(dir, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  lines.push(['manifest', manifestPath]);
  report(`Legal-hold export (seed 000) from the ${target}`, lines);
} finally {
  await close();
}
