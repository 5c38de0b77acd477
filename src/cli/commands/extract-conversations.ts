/**
 * `gc-data extract-conversations`: ReportQueries.extract (async analytics jobs, chunked, deduped) -> one flat row
 * per conversation in a CSV/NDJSON file, resumable after Ctrl-C or a crash (docs/design-intent.md seed 003).
 */
import { MIN_POLL_DELAY_MS } from '../../internal/waits';
import { EXTRACT_CHECKPOINT_KIND } from '../../analytics/extract-checkpoint';
import type { ExtractProgress } from '../../analytics/extract';
import { ReportQueries } from '../../analytics/report-jobs';
import { AVAILABILITY_POLICIES, ExtractCheckpointState, type ConversationQueryFilters } from '../../analytics/schemas';
import { FileCheckpoint } from '../../sinks/checkpoint';
import { BASE_OPTIONS, bool, choice, CONNECTION_OPTIONS, durationMs, int, json, list, RESUMABLE_OUTPUT_OPTIONS, resolveInterval, rowsOnStdout, str } from '../args';
import type { Command, CommandContext } from '../context';
import { UsageError } from '../errors';
import { checkOutputs, closeAll, endStoppedRun, loadSaved, openSink, outputName, planOutput, prepareFiles } from '../files';
import { count } from '../output';
import { costLines, measureRun } from '../run-cost';

const options = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...RESUMABLE_OUTPUT_OPTIONS,
  chunk: { type: 'string' },
  concurrency: { type: 'string' },
  availability: { type: 'string' },
  attributes: { type: 'string' },
  query: { type: 'string' },
  'poll-interval': { type: 'string' },
  reconcile: { type: 'boolean' },
} as const;

const help = `Usage: gc-data extract-conversations [flags]

Extracts conversation details through async analytics jobs (one per --chunk window, deduplicated by
conversationId) into one flat row per conversation. Built for millions of rows: memory stays flat, and Ctrl-C
or a crash resumes from the checkpoint without duplicates.

Output
  --interval I            ISO start/end, start/PT6H, or a date (YYYY-MM-DD). Default: the last full UTC day
  --out FILE              .csv, .ndjson or .jsonl; - for stdout (NDJSON). Default: -
  --checkpoint FILE       default for file outputs: <out>.checkpoint.json (removed when the extract completes);
                          rerunning the same command resumes from it
  --overwrite             extract again from scratch: replace an existing output and discard its checkpoint.
                          Without it, an existing output with no checkpoint (a finished extract) is refused (exit 2)
  --json, --quiet, --verbose

Extract
  --chunk DURATION        window per job (default PT6H)
  --concurrency N         jobs running at once (default 3)
  --availability POLICY   when the interval ends after the data availability date:
                          clip (default: stop at it, summary says which range is complete) | wait | fill | error
  --attributes LIST       participant attributes to add as attr_<key> columns
  --query JSON|@FILE      details filters: { conversationFilters, segmentFilters, evaluationFilters, ... }
  --poll-interval S       first job status poll after this, at least 1 s (default PT10S, doubling to 120 s;
                          simulated org: 1 s, doubling to 2 s)
  --reconcile             compare each window with the sync query's count; warn past 5%

Connection: as for export-evaluations (GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET / GENESYS_REGION,
--credentials-file, --region, --base-url/--auth-url, --requests-per-minute, --progress, --progress-interval).
With no credentials, the simulated org is used.

Exit codes: 0 ok, 2 bad input, 3 auth/permission, 4 deadline or rate limit exhausted, 130 Ctrl-C (resumable), 1 other.
Example:
  gc-data extract-conversations --interval 2024-05-01T00:00:00Z/P7D --out out/conversations.ndjson
`;

async function run(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const interval = resolveInterval(values, ctx.clock);
  const plan = planOutput(values, { checkpoints: true });
  const availability = choice(values, 'availability', AVAILABILITY_POLICIES);
  const concurrency = int(values, 'concurrency', { min: 1, max: 50 });
  const attributes = list(values, 'attributes');
  const query = json(values, 'query');
  if (query !== undefined && (typeof query !== 'object' || query === null || Array.isArray(query))) {
    throw new UsageError('--query must be a JSON object such as {"segmentFilters":[...]}');
  }
  const pollMs = durationMs(values, 'poll-interval');
  if (pollMs !== undefined && pollMs < MIN_POLL_DELAY_MS) {
    throw new UsageError(`--poll-interval must be at least 1 s (MIN_POLL_DELAY_MS): shorter polls flood the job status endpoint`);
  }
  const chunk = str(values, 'chunk');
  checkOutputs(ctx, plan);
  const file = plan.checkpointPath
    ? new FileCheckpoint<ExtractCheckpointState>(plan.checkpointPath, { kind: EXTRACT_CHECKPOINT_KIND, parse: (s) => ExtractCheckpointState.parse(s) })
    : undefined;
  const saved = await loadSaved(file, plan);

  const conn = await ctx.connect();
  const { client } = conn;
  // The simulated org finishes a job in half a second: poll it as often as allowed (MIN_POLL_DELAY_MS, 1 s; real
  // orgs keep the seed's 10 s).
  const poll = pollMs !== undefined ? { initialDelayMs: pollMs, jitterMs: Math.min(5000, pollMs) } : conn.simulated ? { initialDelayMs: 1000, maxDelayMs: 2000, jitterMs: 100 } : undefined;
  const reports = new ReportQueries(client);
  await prepareFiles(plan, out);
  const sink = openSink<Record<string, unknown>>(plan, out);
  const cost = measureRun(client);
  const progress = ctx.progress(client, 'windows', 'extract-conversations');
  let extraction;
  try {
    extraction = reports.extract({
      interval,
      signal: ctx.signal,
      ...(chunk ? { chunk } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(availability ? { availability } : {}),
      ...(attributes ? { attributes } : {}),
      ...(query !== undefined ? { query: query as ConversationQueryFilters } : {}),
      ...(poll ? { poll } : {}),
      ...(bool(values, 'reconcile') ? { reconcile: true } : {}),
      // Rows are handed to the OS before the checkpoint that counts them is saved.
      ...(file ? { checkpoint: file, beforeCheckpoint: async () => sink.flush?.() } : {}),
      onProgress: (p) => {
        if (p.operation !== 'analytics.extract') return;
        const e = p as ExtractProgress;
        progress.set({ value: e.windowsDone, total: e.windowsTotal || undefined, rows: (saved?.rows ?? 0) + e.rows });
      },
    });
  } catch (e) {
    await closeAll([sink], out);
    throw e;
  }
  try {
    if (plan.resume) {
      // The checkpoint counts the rows of every finished page; rows after them are cut and come again.
      await sink.rewindTo?.(saved?.rows ?? 0);
      out.note(saved ? `resuming from ${plan.checkpointPath}: ${count(saved.rows)} row(s) already written` : `starting over (${plan.checkpointPath} was empty)`);
    }
    progress.start();
    for await (const row of extraction) await sink.write(row as Record<string, unknown>);
  } catch (e) {
    progress.stop();
    await closeAll([sink], out);
    return endStoppedRun(ctx, plan, e, sink.rowsWritten, { interval });
  }
  progress.stop();
  if (!(await closeAll([sink], out))) return 1;
  const s = extraction.summary;
  const spent = cost.end();
  const total = (s.resumedFrom?.rows ?? 0) + s.rows;
  out.summary(
    `Extracted ${count(s.rows)} conversation(s) to ${outputName(plan)}`,
    { ok: true, command: 'extract-conversations', org: conn.target, out: plan.path, ...s, totalRows: total, ...spent },
    [
      ['interval', s.requested],
      ['org', conn.target],
      ['complete', s.complete ?? 'nothing (no data available yet)'],
      ['clipped', s.clipped ? `${s.clipped} (not in the datalake yet: rerun later, or --availability fill)` : undefined],
      ['filled', s.filled ? `${s.filled} (through the sync details query)` : undefined],
      ['rows', `${count(s.rows)}${s.resumedFrom ? ` this run, ${count(total)} in all` : ''}`],
      ['duplicates', s.duplicates ? `${count(s.duplicates)} skipped (conversations crossing window boundaries)` : undefined],
      ['jobs', `${count(s.jobsSubmitted)} submitted for ${count(s.windowsTotal)} window(s)${s.splits.length ? `, ${s.splits.length} split` : ''}${s.resubmits.length ? `, ${s.resubmits.length} resubmitted` : ''}`],
      ['schema drift', s.driftFields.length ? s.driftFields.join(', ') : undefined],
      ...costLines(spent),
    ],
  );
  return 0;
}

export const extractConversations: Command = {
  name: 'extract-conversations',
  summary: 'conversation details via async analytics jobs -> rows (ReportQueries.extract)',
  help,
  options,
  rowsOnStdout,
  run,
};
