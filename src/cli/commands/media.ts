/**
 * `gc-data media fetch` (recordings of conversations and their media matrix, one row per recording) and
 * `gc-data media annotate` (validated, PII-checked annotations written atomically, docs/design-intent.md seed 002).
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detailsQueryPages } from '../../analytics/details-query';
import type { GenesysClient } from '../../client';
import { MediaMetadata } from '../../media/media-metadata';
import { RECORDING_FORMAT_IDS, type AnnotationInput } from '../../media/schemas';
import { BASE_OPTIONS, bool, choice, CONNECTION_OPTIONS, int, OUTPUT_OPTIONS, resolveInterval, rowsOnStdout, str, type Values } from '../args';
import type { Command, CommandContext } from '../context';
import { isAbort, UsageError } from '../errors';
import { closeAll, openSink, outputName, planOutput } from '../files';
import { count } from '../output';
import { costLines, measureRun } from '../run-cost';

// ---- media fetch ------------------------------------------------------------------------------------------------

const fetchOptions = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...OUTPUT_OPTIONS,
  conversations: { type: 'string' },
  limit: { type: 'string' },
  'with-media-uris': { type: 'boolean' },
  'format-id': { type: 'string' },
} as const;

const fetchHelp = `Usage: gc-data media fetch [conversationId ...] [flags]

Reads each conversation's recordings and writes one row per recording with its media matrix entry
(kind, expected formats, transcription, thumbnail). Without ids, takes the first --limit conversations
that started in --interval.

  --conversations FILE    conversation ids, one per line
  --interval I            when no ids are given (default: the last full UTC day)
  --limit N               when no ids are given (default 10)
  --with-media-uris       GET .../recordings (media URIs; waits out 202 transcoding) instead of .../recordingmetadata
  --format-id ID          with --with-media-uris: ${RECORDING_FORMAT_IDS.join(', ')} (default WEBM)
  --out FILE              .ndjson/.jsonl/.csv; - = stdout (default)
  --json, --quiet, --verbose

Connection: as for export-evaluations. With no credentials, the simulated org is used.
`;

async function idsFrom(ctx: CommandContext, client: GenesysClient): Promise<string[]> {
  const { values, positionals } = ctx;
  const file = str(values, 'conversations');
  let ids = [...positionals];
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--conversations ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    ids.push(...text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  if (ids.length > 0) return [...new Set(ids)];
  const limit = int(values, 'limit', { min: 1, max: 10_000 }) ?? 10;
  const interval = resolveInterval(values, ctx.clock);
  ids = [];
  for await (const page of detailsQueryPages(client, { interval, order: 'asc' }, { pageSize: Math.min(100, limit), signal: ctx.signal })) {
    for (const c of page.items) if (ids.length < limit) ids.push(c.conversationId);
    if (ids.length >= limit) break;
  }
  if (ids.length === 0) ctx.out.note(`no conversations started in ${interval}`);
  return ids;
}

async function runFetch(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const plan = planOutput(values, { checkpoints: false });
  const withUris = bool(values, 'with-media-uris');
  const formatId = choice(values, 'format-id', RECORDING_FORMAT_IDS);
  if (formatId && !withUris) throw new UsageError('--format-id needs --with-media-uris');
  if (ctx.positionals.length === 0 && !str(values, 'conversations')) resolveInterval(values, ctx.clock); // checked before connecting
  else if (str(values, 'interval') || str(values, 'limit')) throw new UsageError('--interval and --limit are for discovery: give conversation ids or them, not both');

  const conn = await ctx.connect();
  const { client } = conn;
  // The simulated org's transcoding hints follow real recording lengths (up to a minute) but it is ready at the next
  // poll: wait it out briefly (real orgs keep the SDK's 1 s doubling to 15 s, following the platform's hint).
  const media = new MediaMetadata(client, conn.simulated ? { transcoding: { initialDelayMs: 100, maxDelayMs: 500 } } : {});
  const cost = measureRun(client);
  const ids = await idsFrom(ctx, client);
  const sink = openSink<Record<string, unknown>>(plan, out);
  const progress = ctx.progress(client, 'conversations', 'media fetch');
  const kinds = new Map<string, number>();
  let recordings = 0;
  try {
    progress.start();
    for (const [i, id] of ids.entries()) {
      const list = await media.fetchMedia(id, { signal: ctx.signal, ...(withUris ? { withMediaUris: true } : {}), ...(formatId ? { formatId } : {}) });
      const matrix = media.matrixOf(list);
      for (const [j, row] of matrix.rows.entries()) {
        const rec = list[j];
        kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + 1);
        recordings++;
        await sink.write({
          conversationId: id,
          recordingId: row.recordingId,
          media: row.media ?? null,
          kind: row.kind,
          fileState: row.fileState ?? null,
          startTime: rec?.startTime ?? null,
          endTime: rec?.endTime ?? null,
          expectedFormats: row.expectedFormats,
          transcription: row.transcription,
          thumbnail: row.thumbnail,
          mediaUriKeys: row.mediaUriKeys,
        });
      }
      progress.set({ value: i + 1, total: ids.length, rows: recordings });
    }
  } catch (e) {
    progress.stop();
    await closeAll([sink], out);
    if (isAbort(e, ctx.signal)) return ctx.interrupted(`${count(recordings)} recording row(s) written`);
    throw e;
  }
  progress.stop();
  if (!(await closeAll([sink], out))) return 1;
  const spent = cost.end();
  const data = {
    ok: true,
    command: 'media fetch',
    org: conn.target,
    out: plan.path,
    conversations: ids.length,
    recordings,
    byKind: Object.fromEntries(kinds),
    ...spent,
  };
  out.summary(`Fetched ${count(recordings)} recording(s) of ${count(ids.length)} conversation(s) to ${outputName(plan)}`, data, [
    ['org', conn.target],
    ['kinds', [...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'],
    ...costLines(spent),
  ]);
  return 0;
}

export const mediaFetch: Command = {
  name: 'media fetch',
  summary: 'recordings + media matrix of conversations -> rows (MediaMetadata.fetchMedia)',
  help: fetchHelp,
  options: fetchOptions,
  positionals: true,
  rowsOnStdout,
  run: runFetch,
};

// ---- media annotate ---------------------------------------------------------------------------------------------

const annotateOptions = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  set: { type: 'string', multiple: true },
  annotations: { type: 'string' },
  category: { type: 'string' },
  'media-type': { type: 'string' },
  format: { type: 'string' },
  remove: { type: 'string', multiple: true },
  pii: { type: 'string' },
  'archive-dir': { type: 'string' },
  audit: { type: 'string' },
} as const;

const annotateHelp = `Usage: gc-data media annotate <conversationId> [flags]

Validates annotations (key ^[A-Za-z0-9_.-]+$, value <= 2000 characters, category), scans them for PII
(phone, email, card, SSN: rejected by default, nothing sent), checks formats against the conversation's
recordings, then writes them atomically to the conversation's custom attributes (409s re-read and retried).

  --set KEY=VALUE         an annotation (repeatable)
  --annotations FILE      JSON: a list of { key, value, category?, format?, mediaType? } or a { key: value } record
  --category C            category of --set annotations (default system)
  --media-type KIND       media the --set annotations describe (audio, screen, chat, message, email)
  --format F              file format the --set annotations describe (wav, mp4, ...)
  --remove KEY            delete a key in the same write (repeatable)
  --pii reject|redact     default reject: a value with PII stops everything before any request
  --archive-dir DIR       archive callback: write each accepted payload to DIR/<conversation>-<sha256>.json
  --audit FILE            append the audit entry (JSON line: time, sha256, status, latency, correlation ids)
  --json, --quiet, --verbose

Connection: as for export-evaluations. With no credentials, the simulated org is used
(find conversation ids with: gc-data media fetch --limit 3).
`;

function annotationsFromSet(values: Values): AnnotationInput[] {
  const set = (values.set as string[] | undefined) ?? [];
  const category = str(values, 'category');
  const mediaType = str(values, 'media-type');
  const format = str(values, 'format');
  return set.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${item.slice(0, 40)}: expected KEY=VALUE`);
    return {
      key: item.slice(0, eq),
      value: item.slice(eq + 1),
      ...(category ? { category } : {}),
      ...(mediaType ? { mediaType } : {}),
      ...(format ? { format } : {}),
    };
  });
}

async function annotationsFromFile(path: string): Promise<AnnotationInput[] | Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--annotations ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--annotations ${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new UsageError(`--annotations ${path} must hold a JSON list or object`);
  return parsed as AnnotationInput[] | Record<string, unknown>;
}

async function runAnnotate(ctx: CommandContext): Promise<number> {
  const { values, out, positionals } = ctx;
  if (positionals.length !== 1) throw new UsageError(`media annotate takes one conversation id (got ${positionals.length})`, 'find ids with: gc-data media fetch --limit 3');
  const conversationId = positionals[0] as string;
  const pii = choice(values, 'pii', ['reject', 'redact'] as const) ?? 'reject';
  const fromSet = annotationsFromSet(values);
  const file = str(values, 'annotations');
  const fromFile = file ? await annotationsFromFile(file) : undefined;
  if (fromFile && fromSet.length) {
    if (!Array.isArray(fromFile)) throw new UsageError('use --set with a list-style --annotations file, or one of them');
  }
  const annotations = fromFile === undefined ? fromSet : Array.isArray(fromFile) ? [...(fromFile as AnnotationInput[]), ...fromSet] : fromFile;
  const remove = (values.remove as string[] | undefined) ?? [];
  if ((Array.isArray(annotations) ? annotations.length : Object.keys(annotations).length) === 0 && remove.length === 0) {
    throw new UsageError('nothing to write: give --set KEY=VALUE, --annotations FILE or --remove KEY');
  }
  const archiveDir = str(values, 'archive-dir');
  const audit = str(values, 'audit');

  const conn = await ctx.connect();
  const { client } = conn;
  const media = new MediaMetadata(client, { pii });
  if (archiveDir) {
    media.onArchive(async function archiveToDir(event, data) {
      await mkdir(archiveDir, { recursive: true });
      const file = join(archiveDir, `${data.conversationId}-${data.payloadSha256.slice(0, 16)}.json`);
      await writeFile(file, `${JSON.stringify({ event, ...data }, null, 2)}\n`);
    });
  }
  const cost = measureRun(client);
  let result;
  try {
    result = await media.annotate(conversationId, annotations as never, { signal: ctx.signal, ...(remove.length ? { remove } : {}) });
  } catch (e) {
    if (audit) await appendFile(audit, media.exportAudit()).catch(() => undefined);
    if (isAbort(e, ctx.signal)) return ctx.interrupted('nothing was written, or the write completed: see the audit log');
    throw e;
  }
  if (audit) await appendFile(audit, media.exportAudit());
  const { requests } = cost.end();
  const failedCallbacks = result.callbacks.filter((c) => c.status !== 'ok'); // each already reported as a warning
  const { matrix: _matrix, thumbnails, ...shown } = result;
  out.summary(
    `Annotated conversation ${conversationId}: ${result.written.length} key(s) written${result.removed.length ? `, ${result.removed.length} removed` : ''}`,
    { ok: true, command: 'media annotate', org: conn.target, ...shown, thumbnailJobs: thumbnails.jobs.length, requests },
    [
      ['org', conn.target],
      ['written', result.written.join(', ') || undefined],
      ['removed', result.removed.join(', ') || undefined],
      ['redacted', result.redacted.length ? result.redacted.join(', ') : undefined],
      ['concurrent', result.overwroteConcurrent.length ? `another writer had changed ${result.overwroteConcurrent.join(', ')}: ours won` : undefined],
      ['attempts', result.attempts],
      ['payload sha256', result.payloadSha256],
      ['archive', archiveDir ? `${result.callbacks.length - failedCallbacks.length}/${result.callbacks.length} callback(s) ok, files in ${archiveDir}` : undefined],
      ['audit', audit ? `appended to ${audit}` : undefined],
      ['correlation ids', result.correlationIds.join(', ')],
      ['requests', requests],
    ],
  );
  return 0;
}

export const mediaAnnotate: Command = {
  name: 'media annotate',
  summary: 'validated, PII-checked annotations -> conversation custom attributes (MediaMetadata.annotate)',
  help: annotateHelp,
  options: annotateOptions,
  positionals: true,
  run: runAnnotate,
};
