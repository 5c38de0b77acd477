/**
 * `gc-data legal-hold create|verify|release`: the LegalHold module on the command line (docs/legal-hold.md).
 *
 *   gc-data legal-hold create --out DIR (--interval I [--filter FILE] | --ids FILE|a,b,c) [--protect] [--recordings] [--key-file F]
 *   gc-data legal-hold verify DIR [--key-file F]
 *   gc-data legal-hold release (DIR | --interval I [--filter FILE] | --ids ...)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilterNode } from '../../filters/builder';
import { LegalHold } from '../../legal-hold/legal-hold';
import { verifyHold } from '../../legal-hold/manifest';
import type { HoldProgress, LegalHoldOptions } from '../../legal-hold/schemas';
import { BASE_OPTIONS, bool, CONNECTION_OPTIONS, int, resolveInterval, str, type Values } from '../args';
import type { Command, CommandContext } from '../context';
import { EXIT, isAbort, UsageError } from '../errors';
import { count, seconds } from '../output';

const options = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  out: { type: 'string', short: 'o' },
  interval: { type: 'string' },
  filter: { type: 'string' },
  ids: { type: 'string' },
  protect: { type: 'boolean' },
  recordings: { type: 'boolean' },
  'key-file': { type: 'string' },
  concurrency: { type: 'string' },
  'download-concurrency': { type: 'string' },
} as const;

const help = `Usage: gc-data legal-hold <create|verify|release> [flags]

Preserves and exports everything about a set of conversations for a legal hold (docs/legal-hold.md).

  gc-data legal-hold create --out DIR (--interval I [--filter FILE] | --ids FILE|id,id,...) [flags]
      Exports into DIR: conversation detail documents, every evaluation (all statuses, calibrations included;
      raw JSON and evaluations.ndjson rows), and with --recordings the recording metadata and the recordings
      (batch download, fetched without the bearer token), then manifest.jsonl + manifest.sha256.
      Run it again with the same DIR to resume after a failure or Ctrl-C.
    --interval I           conversations that started in I (e.g. 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z)
    --filter FILE          a filter tree (JSON file, or inline JSON starting with {): all media types unless excluded
    --ids FILE|LIST        instead: conversation ids, one per line in FILE, or comma-separated
    --protect              protect the recordings from deletion first, and confirm (conversations not protected
                           are listed, and the exit code is 1)
    --recordings           also download the recordings (and their metadata)
    --key-file F           sign manifest.jsonl with HMAC-SHA256 (the key is the file's content, trailing newline removed)
    --concurrency N        API requests at once (default 4); --download-concurrency N files at once (default 4)

  gc-data legal-hold verify DIR [--key-file F]
      Re-hashes every file against manifest.jsonl: added, missing and altered files; with --key-file, the
      signature. Exit 0 when the hold is intact, 1 when not.

  gc-data legal-hold release (DIR | --interval I [--filter FILE] | --ids FILE|LIST)
      Lifts the deletion protection (DIR: the conversations of that hold), then checks none is still protected.

  --json, --quiet, --verbose, --progress MODE, --progress-interval S
Connection: as for export-evaluations. With no credentials, the simulated org is used.
`;

async function readKey(values: Values): Promise<Buffer | undefined> {
  const file = str(values, 'key-file');
  if (file === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UsageError(`--key-file ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  if (end === 0) throw new UsageError(`--key-file ${file} is empty`, 'put the HMAC key in the file (any bytes; 32 random bytes is a good key)');
  return bytes.subarray(0, end);
}

async function readFilter(values: Values): Promise<FilterNode | undefined> {
  const v = str(values, 'filter');
  if (v === undefined) return undefined;
  let text = v;
  if (!v.trim().startsWith('{')) {
    try {
      text = await readFile(v.startsWith('@') ? v.slice(1) : v, 'utf8');
    } catch (e) {
      throw new UsageError(`--filter ${v.slice(0, 80)}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'pass a JSON file, or inline JSON starting with {');
    }
  }
  try {
    return JSON.parse(text) as FilterNode;
  } catch (e) {
    throw new UsageError(`--filter is not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
}

async function readIds(values: Values): Promise<string[] | undefined> {
  const v = str(values, 'ids');
  if (v === undefined) return undefined;
  let text = v;
  const looksLikeList = /^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$/.test(v) && !v.includes('/') && v.includes('-') && v.length >= 30;
  if (!looksLikeList) {
    try {
      text = await readFile(v.startsWith('@') ? v.slice(1) : v, 'utf8');
    } catch (e) {
      throw new UsageError(`--ids ${v.slice(0, 80)}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'pass a file with one id per line, or comma-separated ids');
    }
  }
  const ids = text
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  if (ids.length === 0) throw new UsageError('--ids lists no conversation id');
  return ids;
}

/** The selection flags as LegalHold options (interval XOR ids). */
async function selection(ctx: CommandContext, required: boolean): Promise<Pick<LegalHoldOptions, 'interval' | 'filters' | 'conversationIds'> | undefined> {
  const { values } = ctx;
  const ids = await readIds(values);
  const filter = await readFilter(values);
  const hasInterval = str(values, 'interval') !== undefined;
  if (ids && hasInterval) throw new UsageError('give --interval or --ids, not both');
  if (ids && filter) throw new UsageError('--filter applies to --interval; with --ids the list is the selection');
  if (ids) return { conversationIds: ids };
  if (hasInterval) return { interval: resolveInterval(values, ctx.clock), ...(filter ? { filters: filter } : {}) };
  if (filter) throw new UsageError('--filter needs --interval');
  if (required) throw new UsageError('say which conversations: --interval I [--filter FILE], or --ids FILE|LIST');
  return undefined;
}

async function create(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const folder = str(values, 'out');
  if (!folder || folder === '-') throw new UsageError('create needs --out DIR (a folder: the hold is many files)');
  const select = await selection(ctx, true);
  const key = await readKey(values);
  const concurrency = int(values, 'concurrency', { min: 1, max: 32 });
  const downloadConcurrency = int(values, 'download-concurrency', { min: 1, max: 64 });
  const hold = new LegalHold((await ctx.connect()).client, {
    ...select,
    recordings: bool(values, 'recordings'),
    ...(concurrency ? { concurrency } : {}),
    ...(downloadConcurrency ? { download: { concurrency: downloadConcurrency } } : {}),
  });
  const { client, target } = await ctx.connect();
  const progress = ctx.progress(client, 'recordings', 'legal hold');
  progress.start();
  let last: HoldProgress | undefined;
  let summary;
  try {
    summary = await hold.export({
      out: folder,
      protect: bool(values, 'protect'),
      ...(key ? { key } : {}),
      signal: ctx.signal,
      onProgress: (p) => {
        last = p;
        progress.set({ value: p.recordingsReceived + p.recordingsMissing, total: p.recordingsExpected || undefined, rows: p.evaluations });
      },
    });
  } catch (e) {
    progress.stop();
    if (isAbort(e, ctx.signal) && ctx.stoppedBy()) {
      const done = last ? `${count(last.conversations)} conversation(s), ${count(last.evaluations)} evaluation(s), ${count(last.recordingsReceived)} recording(s) so far` : 'nothing finished yet';
      return ctx.interrupted(`${done}; everything written is kept in ${folder}`, ctx.commandLine());
    }
    throw e;
  }
  progress.stop();
  const p = summary.protection;
  out.summary(
    `legal hold exported to ${folder} (${target})`,
    { ok: true, ...summary },
    [
      ['conversations', `${count(summary.conversations)}${summary.unknownConversations.length ? ` (${summary.unknownConversations.length} listed id(s) not found)` : ''}`],
      ['evaluations', count(summary.evaluations)],
      [
        'recordings',
        bool(values, 'recordings')
          ? `${count(summary.recordings.expected)} expected, ${count(summary.recordings.received)} received, ${count(summary.recordings.missing)} missing (missing-recordings.json)`
          : 'not requested (--recordings)',
      ],
      ['bytes', bool(values, 'recordings') ? `${count(summary.recordings.bytes)} in recordings` : undefined],
      ['protection', p ? (p.confirmed ? `confirmed for ${count(p.protected)} conversation(s)` : `NOT confirmed for ${p.notProtected.length} of ${p.requested}: ${p.notProtected.slice(0, 3).map((n) => n.conversationId).join(', ')}`) : 'not requested (--protect)'],
      ['manifest', `${count(summary.files)} file(s), sha256 ${summary.manifestSha256}${summary.signed ? ', signed (manifest.hmac)' : ''}`],
      ['resumed', summary.resumed ? 'yes (a previous run had started this hold)' : undefined],
      ['took', `${seconds(summary.durationMs)}, ${count(summary.requests)} API request(s), ${count(summary.downloads)} download(s)`],
    ],
  );
  return p && !p.confirmed ? EXIT.OTHER : EXIT.OK;
}

async function verify(ctx: CommandContext): Promise<number> {
  const { values, out, positionals } = ctx;
  const folder = positionals[1] ?? str(values, 'out');
  if (!folder) throw new UsageError('verify needs the hold folder: gc-data legal-hold verify DIR');
  const key = await readKey(values);
  const report = await verifyHold(folder, key ? { key } : {});
  const list = (xs: string[]) => (xs.length ? `${xs.length}: ${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', ...' : ''}` : 'none');
  out.summary(report.ok ? `hold ${folder} is intact` : `hold ${folder} does NOT verify`, { ...report }, [
    ['files', count(report.files)],
    ['manifest', report.manifestIntact ? 'matches manifest.sha256' : 'does NOT match manifest.sha256'],
    ['signature', report.signature],
    ['added', list(report.added)],
    ['missing', list(report.missing)],
    ['altered', list(report.altered.map((a) => a.path))],
  ]);
  return report.ok ? EXIT.OK : EXIT.OTHER;
}

async function release(ctx: CommandContext): Promise<number> {
  const { values, out, positionals } = ctx;
  const folder = positionals[1];
  let select = await selection(ctx, folder === undefined);
  if (folder !== undefined) {
    if (select) throw new UsageError('give the hold folder or --interval/--ids, not both');
    let ids: unknown;
    try {
      ids = JSON.parse(await readFile(join(folder, 'conversations.json'), 'utf8'));
    } catch (e) {
      throw new UsageError(`${folder}/conversations.json cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message.slice(0, 80)})`, 'pass the folder of a finished hold, or select with --interval/--ids');
    }
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw new UsageError(`${folder}/conversations.json is not a list of ids`);
    if (ids.length === 0) {
      out.summary(`hold ${folder} has no conversations`, { ok: true, requested: 0 }, []);
      return EXIT.OK;
    }
    select = { conversationIds: ids as string[] };
  }
  const { client, target } = await ctx.connect();
  const report = await new LegalHold(client, { ...select }).release({ signal: ctx.signal });
  out.summary(`deletion protection released (${target})`, { ok: report.stillProtected.length === 0, ...report }, [
    ['conversations', count(report.requested)],
    ['released', count(report.released)],
    ['still protected', report.stillProtected.length ? `${report.stillProtected.length}: ${report.stillProtected.slice(0, 5).join(', ')}` : 'none'],
  ]);
  return report.stillProtected.length ? EXIT.OTHER : EXIT.OK;
}

async function run(ctx: CommandContext): Promise<number> {
  const action = ctx.positionals[0];
  if (action === 'create') {
    if (ctx.positionals.length > 1) throw new UsageError(`create takes no argument (got "${ctx.positionals[1]!.slice(0, 40)}")`, 'the folder goes in --out DIR');
    return create(ctx);
  }
  if (action === 'verify') return verify(ctx);
  if (action === 'release') return release(ctx);
  throw new UsageError(action === undefined ? 'legal-hold needs an action: create, verify or release' : `unknown legal-hold action "${action.slice(0, 40)}"`, 'see gc-data legal-hold --help');
}

export const legalHold: Command = {
  name: 'legal-hold',
  summary: 'preserve and export conversations for a legal hold (create, verify, release)',
  help,
  options,
  positionals: true,
  run,
};
