/**
 * `gc-data export-evaluations`: QualityExporter.exportTo -> a CSV/NDJSON file (or stdout), with a checkpoint so
 * Ctrl-C or a crash resumes with every row exactly once (seeds 001 and 000).
 */
import { existsSync } from 'node:fs';
import { detailsQueryCount } from '../../analytics/details-query';
import type { GenesysClient } from '../../client';
import type { ScorecardRow } from '../../quality/scorecard';
import { planExport } from '../../quality/export-request';
import { QualityExporter, type ExportProgress, type ExportSummary, type QualityExportState } from '../../quality/exporter';
import { CALIBRATION_MODES, EVALUATION_STATUSES, MEDIA_TYPES } from '../../quality/schemas';
import { FileCheckpoint } from '../../sinks/checkpoint';
import type { RowSink } from '../../sinks/sink';
import { BASE_OPTIONS, bool, choice, CONNECTION_OPTIONS, int, json, list, RESUMABLE_OUTPUT_OPTIONS, resolveInterval, rowsOnStdout, str } from '../args';
import type { Command, CommandContext } from '../context';
import { isAbort, UsageError } from '../errors';
import { checkOutPath, checkOutputs, closeAll, endStoppedRun, loadSaved, openSink, outputName, planOutput, prepareFiles } from '../files';
import { count, seconds } from '../output';
import type { Progress } from '../progress';

/** The `kind` of the checkpoint file (the same as docs/warehouse-recipes.md uses, so library and CLI can share one). */
export const QUALITY_CHECKPOINT_KIND = 'quality-export';

const STATUSES = EVALUATION_STATUSES;

const options = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...RESUMABLE_OUTPUT_OPTIONS,
  calibrations: { type: 'string' },
  'calibrations-out': { type: 'string' },
  strategy: { type: 'string' },
  'media-types': { type: 'string' },
  'split-by-media-type': { type: 'boolean' },
  // The old name, kept working for 0.x scripts: the SDK option is splitByMediaType, so is the flag now.
  'split-by-channel': { type: 'boolean' },
  status: { type: 'string' },
  concurrency: { type: 'string' },
  'key-by': { type: 'string' },
  'per-question': { type: 'boolean' },
  filter: { type: 'string' },
} as const;

const help = `Usage: gc-data export-evaluations [flags]

Exports quality evaluations (one flat scorecard row each) for conversations that started in --interval.

Output
  --interval I            ISO start/end, start/PT6H, or a date (YYYY-MM-DD = that UTC day). Default: the last full UTC day
  --out FILE              .csv, .ndjson or .jsonl; - for stdout (NDJSON). Default: -
  --checkpoint FILE       progress file; rerunning the same command resumes, every row exactly once.
                          Default for file outputs: <out>.checkpoint.json (removed when the export completes)
  --overwrite             export again from scratch: replace an existing output and discard its checkpoint.
                          Without it, an existing output with no checkpoint (a finished export) is refused (exit 2)
  --json                  print the summary as one JSON object
  --quiet, -q             no progress, no notes (errors and the summary still print)
  --verbose, -v           retries, rate-limit holds, and stack traces on errors

What to export
  --calibrations MODE     exclude (default) | include | separate
  --calibrations-out FILE with --calibrations separate: where calibration rows go. Default: <out>.calibrations.<ext>
  --status LIST           evaluation statuses, comma-separated. Default: Finished (others: ${STATUSES.slice(1).join(', ')})
  --media-types LIST      segment media types, e.g. voice,callback or chat,email,message. Default: all
  --split-by-media-type   one pass per channel group (voice, digital), e.g. to export calls apart from chats and
                          emails; rows carry media_type; an evaluation of a conversation in both groups is written
                          once, by the voice pass (the SDK's splitByMediaType; --split-by-channel is its old name)
  --filter JSON|@FILE     extra filter tree ({ and|or: [...] } of { field, op, value }), see docs/filters.md
  --key-by id|contextId   score_<group> columns keyed by the form version's ids (default) or contextId (stable across versions)
  --per-question          add q_<question> columns
  --strategy S            details (default: details query + one GET per evaluation) | search (quality search, ~80x fewer requests)
  --concurrency N         evaluation GETs in flight (default 5)

Connection (credentials come only from the environment or a file, never from flags)
  GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION   environment variables
  --credentials-file FILE JSON or KEY=value file with the same names (or GENESYS_CREDENTIALS_FILE)
  --region R              e.g. eu_west_1 or mypurecloud.ie (default us_east_1)
  --base-url URL --auth-url URL   API and login origins (gateways, a simulated org)
  --requests-per-minute N client-side budget (default 300; 3000 on the simulated org)
  --progress MODE         auto (bar on a terminal, lines otherwise) | bar | lines | off
  --progress-interval S   seconds between progress lines when not on a terminal (default 10)
  With no credentials at all, the built-in simulated org is used (and a line on stderr says so); a source that is
  given must be complete and valid (an empty file, an unknown key or variable, half a pair: exit 2).

Exit codes: 0 ok, 2 bad input, 3 auth/permission, 4 deadline or rate limit exhausted, 130 Ctrl-C (resumable), 1 other.
Examples:
  gc-data export-evaluations --out out/evaluations.csv
  gc-data export-evaluations --interval 2024-05-13 --split-by-media-type --calibrations include --out hold.ndjson
`;

function calibrationsPath(out: string): string {
  const m = /^(.*?)(\.[^./\\]+)$/.exec(out);
  return m ? `${m[1]}.calibrations${m[2]}` : `${out}.calibrations.ndjson`;
}

/** The details strategy reads conversations page by page: one count request lets the bar show a total and an ETA. */
async function conversationsToScan(client: GenesysClient, interval: string, statuses: string[], mediaTypes: string[] | undefined, signal: AbortSignal): Promise<number | undefined> {
  try {
    return await detailsQueryCount(
      client,
      {
        interval,
        evaluationFilters: [{ type: 'or', predicates: statuses.map((s) => ({ type: 'dimension', dimension: 'evaluationStatus', operator: 'matches', value: s })) }],
        ...(mediaTypes
          ? { segmentFilters: [{ type: 'or', predicates: mediaTypes.map((m) => ({ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: m })) }] }
          : {}),
      },
      signal,
    );
  } catch (e) {
    if (isAbort(e, signal)) throw e;
    return undefined; // only an estimate: the export itself reports real errors
  }
}

/**
 * Rows to expect: the conversations the count found times the wanted evaluations per conversation seen so far.
 * Discovery is lazy (a page is read as the fetches need it), so the ratio is taken when a page has been read in
 * full: the exporter reports that after every page, and otherwise every 50 rows.
 */
function estimator(conversations: number | undefined, pageSize: number) {
  let perConversation: number | undefined;
  return (progress: Progress, p: ExportProgress): void => {
    const value = p.written + p.skippedAlreadyWritten;
    const wanted = p.discovered - p.skippedCalibrations - p.missing;
    if (p.pass === 'done') {
      progress.set({ value, total: value });
      return;
    }
    if (conversations !== undefined && p.pages > 0 && p.written % 50 !== 0) {
      perConversation = wanted / Math.max(1, Math.min(p.pages * pageSize, conversations));
    }
    const total = perConversation === undefined || conversations === undefined ? undefined : Math.max(wanted, value, Math.round(conversations * perConversation));
    progress.set({ value, total, estimated: true });
  };
}

async function run(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  // Everything the user typed is checked before anything is started.
  const interval = resolveInterval(values, ctx.clock);
  const plan = planOutput(values, { checkpoints: true });
  const calibrations = choice(values, 'calibrations', CALIBRATION_MODES) ?? 'exclude';
  const strategy = choice(values, 'strategy', ['details', 'search'] as const) ?? 'details';
  const statuses = list(values, 'status') ?? ['Finished'];
  for (const s of statuses) if (!STATUSES.some((x) => x.toLowerCase() === s.toLowerCase())) throw new UsageError(`--status ${s}: use ${STATUSES.join(', ')}`);
  const mediaTypes = list(values, 'media-types');
  for (const m of mediaTypes ?? []) if (!MEDIA_TYPES.includes(m)) throw new UsageError(`--media-types ${m}: use ${MEDIA_TYPES.join(', ')}`);
  const keyBy = choice(values, 'key-by', ['id', 'contextId'] as const);
  const concurrency = int(values, 'concurrency', { min: 1, max: 50 });
  const filters = json(values, 'filter');
  if (filters !== undefined && strategy === 'search') throw new UsageError('--filter needs --strategy details (the quality search endpoint takes no analytics filters)');
  let calibrationsOut = str(values, 'calibrations-out');
  if (calibrationsOut && calibrations !== 'separate') throw new UsageError('--calibrations-out needs --calibrations separate');
  if (calibrations === 'separate') {
    if (plan.toStdout && !calibrationsOut) throw new UsageError('--calibrations separate with --out - needs --calibrations-out FILE');
    calibrationsOut ??= calibrationsPath(plan.path);
    checkOutPath(calibrationsOut, '--calibrations-out');
    if (plan.resume && !existsSync(calibrationsOut)) throw new UsageError(`resuming from ${plan.checkpointPath}, but ${calibrationsOut} is missing`, `delete ${plan.checkpointPath} or pass --overwrite to start over`);
  }
  checkOutputs(ctx, plan, calibrationsOut ? [[str(values, 'calibrations-out') ? '--calibrations-out' : `--calibrations-out (default ${calibrationsOut})`, calibrationsOut]] : []);
  const checkpoint = plan.checkpointPath ? new FileCheckpoint<QualityExportState>(plan.checkpointPath, { kind: QUALITY_CHECKPOINT_KIND }) : undefined;
  const saved = await loadSaved(checkpoint, plan);

  const conn = await ctx.connect();
  const { client } = conn;
  const exporter = new QualityExporter(client, {
    calibrations,
    strategy,
    evaluationStatus: statuses.map((s) => STATUSES.find((x) => x.toLowerCase() === s.toLowerCase()) as string),
    ...(concurrency ? { concurrency } : {}),
  });
  // The request is checked before the output file is opened (opening it replaces an existing file).
  planExport(
    { interval, ...(mediaTypes ? { mediaTypes } : {}), ...(bool(values, 'split-by-media-type') || bool(values, 'split-by-channel') ? { splitByMediaType: true } : {}), ...(filters !== undefined ? { filters } : {}) },
    exporter.options,
    'QualityExporter request',
  );
  if (plan.resume) out.note(`resuming from ${plan.checkpointPath} (rows after its last save are cut and exported again)`);

  await prepareFiles(plan, out, [calibrationsOut]);
  const sink = openSink<ScorecardRow>(plan, out);
  const calibrationSink = calibrationsOut ? openSink<ScorecardRow>({ path: calibrationsOut, resume: plan.resume }, out) : undefined;
  const progress = ctx.progress(client, 'rows', 'export-evaluations');
  let summary: ExportSummary;
  try {
    // A finished export (its kept checkpoint says done) sends nothing: no count either.
    const conversations = progress.enabled && strategy === 'details' && !saved?.finished ? await conversationsToScan(client, interval, exporter.options.evaluationStatus, mediaTypes, ctx.signal) : undefined;
    const feed = estimator(conversations, exporter.options.pageSize);
    progress.start();
    summary = await exporter.exportTo(sink, {
      interval,
      signal: ctx.signal,
      ...(checkpoint ? { checkpoint } : {}),
      ...(calibrationSink ? { calibrationSink: calibrationSink as RowSink<ScorecardRow> } : {}),
      ...(mediaTypes ? { mediaTypes } : {}),
      ...(bool(values, 'split-by-media-type') || bool(values, 'split-by-channel') ? { splitByMediaType: true } : {}),
      ...(filters !== undefined ? { filters } : {}),
      ...(keyBy || bool(values, 'per-question') ? { flatten: { ...(keyBy ? { keyBy } : {}), ...(bool(values, 'per-question') ? { perQuestion: true } : {}) } } : {}),
      onProgress: (p) => feed(progress, p),
    });
  } catch (e) {
    progress.stop();
    await closeAll([sink, calibrationSink], out);
    return endStoppedRun(ctx, plan, e, sink.rowsWritten + (calibrationSink?.rowsWritten ?? 0), { interval });
  }
  progress.stop();
  const closed = await closeAll([sink, calibrationSink], out);
  if (!closed) return 1;
  let checkpointNote = plan.checkpointPath ? `${plan.checkpointPath} (done: a rerun writes nothing; delete it to export again)` : undefined;
  if (checkpoint && plan.implicitCheckpoint) {
    await checkpoint.clear();
    checkpointNote = 'removed (the export is complete)';
  }
  const where = outputName(plan);
  const already = summary.resumed && summary.rows === 0 && summary.skippedAlreadyWritten === 0 && summary.discovered === 0;
  out.summary(
    already ? `Nothing to do: ${plan.checkpointPath} says this export is complete` : `Exported ${count(summary.rows)} evaluation(s) to ${where}`,
    { ok: true, command: 'export-evaluations', org: conn.target, out: plan.path, calibrationsOut, checkpoint: checkpointNote ?? null, ...summary },
    [
      ['interval', summary.interval],
      ['org', conn.target],
      ['rows', `${count(summary.rows)}${summary.resumed ? ` this run (${count(summary.skippedAlreadyWritten)} already written before the interruption)` : ''}`],
      ['calibrations', calibrations === 'separate' ? `${count(summary.calibrationRows)} row(s) to ${calibrationsOut}` : calibrations === 'exclude' ? `${count(summary.skippedCalibrations)} excluded (never fetched)` : 'included'],
      ['channels', summary.passes.length > 1 ? summary.passes.map((p) => `${p.name} ${count(p.rows)}`).join(', ') : undefined],
      ['discovered', `${count(summary.discovered)} evaluation(s) on ${count(summary.pages)} page(s)`],
      ['missing', summary.missing ? `${count(summary.missing)} deleted between discovery and fetch` : undefined],
      ['conversations', summary.conversationRange.first ? `${summary.conversationRange.first} .. ${summary.conversationRange.last}` : undefined],
      ['requests', `${count(summary.requests)} (${summary.strategy} strategy), ${count(summary.rateLimited)} 429(s) waited out`],
      ['duration', seconds(summary.durationMs)],
      ['checkpoint', checkpointNote],
    ],
  );
  return 0;
}

export const exportEvaluations: Command = {
  name: 'export-evaluations',
  summary: 'quality evaluations -> CSV/NDJSON scorecard rows (QualityExporter)',
  help,
  options,
  rowsOnStdout,
  run,
};
