/**
 * Seed 002 (docs/design-intent.md): interaction media metadata. For a few recent conversations: read the recordings, build the media matrix
 * (expected formats, transcription, thumbnails for screen recordings), then write validated annotations atomically
 * to the conversation's custom attributes. PII is blocked before anything is sent; a redacting instance shows the
 * other policy. Two archive callbacks run after each write: one copies the payload to a local archive folder, one
 * fails on purpose to show that a failing callback neither stops the others nor undoes the write. Telemetry and the
 * audit log come last.
 *
 *   npx tsx examples/media-annotate.ts [conversationId ...]
 *
 * With no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET it runs against the simulated org.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InteractionSearch, MediaMetadata, ValidationError, type AnnotationInput, type ArchiveCallback } from '@org/gc-data';
import { lastFullUtcDay } from '@org/gc-data/intervals';
import { connect, outDir, report } from './lib/connect';

const dir = outDir('media');
const archiveDir = join(dir, 'archive');

const { client, target, close } = await connect();
try {
  client.on('warning', (w) => console.error(`[warning] ${w.code}: ${w.message}`));

  // Archive callbacks receive the payload after redaction (never raw PII) and an abort signal for their timeout.
  const toArchive: ArchiveCallback = async function toArchive(event, data) {
    await mkdir(archiveDir, { recursive: true });
    await writeFile(join(archiveDir, `${data.conversationId}.json`), `${JSON.stringify({ event, ...data }, null, 2)}\n`);
  };
  const flakyWebhook: ArchiveCallback = async function flakyWebhook() {
    throw new Error('archive endpoint unavailable (on purpose)');
  };
  const media = new MediaMetadata(client, { pii: 'reject', callbacks: [toArchive, flakyWebhook], callbackTimeoutMs: 5_000 });

  const ids: string[] = process.argv.slice(2);
  if (ids.length === 0) {
    // No ids given: the first five conversations of yesterday.
    const search = new InteractionSearch(client).query({ interval: lastFullUtcDay(), order: 'asc' });
    for await (const c of search) {
      if (ids.push(c.conversationId) >= 5) break;
    }
  }

  const lines: Array<[string, string]> = [];
  for (const id of ids) {
    const recordings = await media.fetchMedia(id);
    const matrix = media.matrixOf(recordings);
    const thumbnails = media.thumbnailJobs(matrix);
    const present = Object.values(matrix.byKind);
    const kinds = present.map((k) => k.kind);
    // One annotation per media kind present, with the format the matrix expects for it.
    const annotations: AnnotationInput[] = present.map((k) => ({
      key: `media.${k.kind}.count`,
      value: String(k.recordingIds.length),
      category: 'technical',
      mediaType: k.kind,
      ...(k.expectedFormats?.[0] ? { format: k.expectedFormats[0] } : {}),
    }));
    annotations.push({ key: 'qa.pipeline', value: 'gc-data example', category: 'qa' });
    const result = await media.annotate(id, annotations, { matrix });
    const callbacks = result.callbacks.map((c) => `${c.name} ${c.status}`).join(', ');
    lines.push([id, `${kinds.join('+') || 'no recordings'}; ${thumbnails.jobs.length} thumbnail job(s); wrote ${result.written.length} key(s) in ${result.attempts} PUT; callbacks: ${callbacks}`]);
  }

  // PII: a phone number in a value stops the whole call before any request.
  const first = ids[0] as string;
  const before = client.stats().requests;
  try {
    await media.annotate(first, [{ key: 'qa.note', value: 'customer asked to be called back on 555-867-5309', category: 'qa' }]);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    lines.push(['PII (reject)', `blocked with ${client.stats().requests - before} request(s) sent: ${e.issues.map((i) => i.message).join('; ')}`]);
  }
  // The other policy: redact and write.
  const redacting = new MediaMetadata(client, { pii: 'redact' });
  const redacted = await redacting.annotate(first, [{ key: 'qa.note', value: 'customer asked to be called back on 555-867-5309', category: 'qa' }]);
  lines.push(['PII (redact)', `wrote ${redacted.written.join(', ')}; redacted: ${redacted.redacted.join(', ')}`]);

  const t = media.telemetry();
  lines.push(['validation', `${t.validation.checked} checked, ${t.validation.accepted} accepted, ${t.validation.rejected} rejected, accuracy rate ${t.validation.accuracyRate}`]);
  lines.push(['latency', `annotate p50 ${t.operations.annotate?.p50Ms.toFixed(1)} ms, p95 ${t.operations.annotate?.p95Ms.toFixed(1)} ms`]);
  const auditPath = join(dir, 'audit.jsonl');
  await mkdir(dir, { recursive: true });
  await writeFile(auditPath, media.exportAudit());
  lines.push(['audit', `${media.auditLog().length} entries -> ${auditPath}`]);
  lines.push(['archive', archiveDir]);
  report(`Media metadata and annotations on the ${target}`, lines);
} finally {
  await close();
}
