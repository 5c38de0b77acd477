/**
 * `gc-data sync evaluations|conversations`: the incremental sync (exporter.sync / reports.sync) into the PostgreSQL
 * warehouse: a server with --database, else the embedded PGlite in a local folder. Changes and the sync state commit
 * in one transaction per batch, so Ctrl-C (or a kill) and a rerun apply every change exactly once.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ReportQueries } from '../../analytics/report-jobs';
import { ValidationError, validationErrorFromZod } from '../../errors';
import { parseDuration } from '../../helpers/intervals';
import { QualityExporter } from '../../quality/exporter';
import { CALIBRATION_MODES, QualityExporterOptionsSchema } from '../../quality/schemas';
import { postgresSyncState } from '../../sync/postgres-state';
import type { SyncProgress, SyncSummary } from '../../sync/types';
import { BASE_OPTIONS, choice, CONNECTION_OPTIONS, int, list, str } from '../args';
import type { Command, CommandContext } from '../context';
import { isAbort, UsageError } from '../errors';
import { count, seconds } from '../output';

const options = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  database: { type: 'string' },
  pglite: { type: 'string' },
  schema: { type: 'string' },
  lookback: { type: 'string' },
  calibrations: { type: 'string' },
  status: { type: 'string' },
  'batch-size': { type: 'string' },
  now: { type: 'string' },
} as const;

const help = `Usage: gc-data sync evaluations|conversations [flags]

Brings a PostgreSQL warehouse up to date with the org: re-discovers the look-back window, fetches only what is new
or changed since the last run, marks deleted evaluations, and commits each batch with its sync state in one
transaction (Ctrl-C or a crash, then the same command again: every change applied exactly once). Schedule it (cron, a
Kubernetes CronJob): see docs/warehouse.md, "Sync rules".

  evaluations             quality evaluations (details query discovery + one GET per new or changed evaluation)
  conversations           conversation details through one analytics job, up to the data availability date

Where
  --database URL          postgres://user:pass@host:port/db (a PostgreSQL server; password better in PGPASSWORD)
  --pglite DIR            without --database: the embedded PostgreSQL's data folder. Default: .gc-data/warehouse
  --schema NAME           schema of the warehouse tables. Default: public

What
  --lookback D            how far back to re-discover, ISO-8601 duration (days or less). Default: P30D
  --calibrations MODE     evaluations: exclude (default) | include
  --status LIST           evaluations: statuses kept, comma-separated. Default: Finished
  --batch-size N          changes per transaction. Default: 500
  --now TIME              the run's time, ISO-8601 (end of the window). Default: the current time

Output
  --json                  print the summary as one JSON object
  --quiet, -q             no progress, no notes
  --verbose, -v           retries, rate-limit holds, stack traces

Connection: as for every command (GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET / GENESYS_REGION or --credentials-file;
with none, the built-in simulated org). --region --base-url --auth-url --requests-per-minute --progress --progress-interval

Examples:
  gc-data sync evaluations
  gc-data sync evaluations --database postgres://etl@db.internal/quality --lookback P45D
  gc-data sync conversations --database postgres://etl@db.internal/quality --schema analytics
`;

async function run(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const kind = ctx.positionals[0];
  if (kind !== 'evaluations' && kind !== 'conversations') {
    throw new UsageError(kind === undefined ? 'sync needs what to sync: evaluations or conversations' : `cannot sync "${kind.slice(0, 40)}": use evaluations or conversations`, 'e.g. gc-data sync evaluations');
  }
  if (ctx.positionals.length > 1) throw new UsageError(`unexpected argument "${String(ctx.positionals[1]).slice(0, 40)}"`, 'sync takes one of: evaluations, conversations');
  const lookback = str(values, 'lookback') ?? 'P30D';
  try {
    parseDuration(lookback, 'lookback');
  } catch (e) {
    if (e instanceof ValidationError) throw new UsageError(`--lookback: ${e.issues[0]?.message ?? 'not an ISO-8601 duration'}`, 'e.g. --lookback P30D');
    throw e;
  }
  const database = str(values, 'database');
  const pglite = str(values, 'pglite');
  if (database !== undefined && pglite !== undefined) throw new UsageError('give --database (a server) or --pglite (the embedded database), not both');
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) throw new UsageError('--database must be a postgres:// or postgresql:// URL');
  const calibrations = choice(values, 'calibrations', CALIBRATION_MODES.filter((m) => m !== 'separate')) ?? 'exclude';
  const statuses = list(values, 'status') ?? ['Finished'];
  const batchSize = int(values, 'batch-size', { min: 1, max: 100_000 }) ?? 500;
  if (kind === 'conversations' && (values.calibrations !== undefined || values.status !== undefined)) {
    throw new UsageError('--calibrations and --status are for sync evaluations');
  }
  // Checked (exit 2) before the warehouse or the org is touched.
  const exporterOptions = QualityExporterOptionsSchema.safeParse({ calibrations, evaluationStatus: statuses });
  if (!exporterOptions.success) throw validationErrorFromZod('--status / --calibrations', exporterOptions.error);
  const nowText = str(values, 'now');
  const now = nowText === undefined ? undefined : Date.parse(nowText);
  if (now !== undefined && !Number.isFinite(now)) throw new UsageError(`--now must be an ISO-8601 date-time, got "${String(nowText).slice(0, 40)}"`, 'e.g. --now 2026-06-01T00:00:00Z');
  const schema = str(values, 'schema');
  const folder = pglite ?? '.gc-data/warehouse';
  // PGlite creates its data folder but not the folders above it (a fresh clone has no .gc-data/).
  if (database === undefined && !folder.includes('://')) mkdirSync(dirname(resolve(folder)), { recursive: true });
  // Loaded only here: other commands never load a database driver.
  const { createPostgresWarehouse } = await import('../../postgres/index');
  const warehouse = createPostgresWarehouse({
    ...(database !== undefined ? { connectionString: database } : { pglite: folder }),
    ...(schema !== undefined ? { schema } : {}),
  });
  try {
    const migrated = await warehouse.migrate();
    if (migrated.applied.length) out.note(`warehouse ${warehouse.target}: schema "${warehouse.schema}" migrated to version ${migrated.to}`);
    const conn = await ctx.connect();
    const client = conn.client;
    const progress = ctx.progress(client, kind === 'evaluations' ? 'days' : 'jobs', `sync ${kind}`);
    const onProgress = (p: SyncProgress) => progress.set({ value: p.windowsDone, total: p.windowsTotal, rows: p.new + p.changed + p.deleted });
    const state = postgresSyncState(warehouse);
    const started = client.clock.now();
    let summary: SyncSummary & { dataAvailabilityDate?: string | undefined };
    progress.start();
    try {
      summary =
        kind === 'evaluations'
          ? await new QualityExporter(client, { calibrations, evaluationStatus: statuses }).sync({ lookback, state, batchSize, signal: ctx.signal, onProgress, ...(now !== undefined ? { now } : {}) })
          : await new ReportQueries(client).sync({ lookback, state, batchSize, signal: ctx.signal, onProgress, ...(now !== undefined ? { now } : {}) });
    } catch (e) {
      progress.stop();
      if (isAbort(e, ctx.signal)) {
        return ctx.interrupted(`the batches committed so far stay in ${warehouse.target}; the rest comes with the next run`, ctx.commandLine());
      }
      throw e;
    }
    progress.stop();
    const durationMs = client.clock.now() - started;
    out.summary(
      `Synced ${kind} into ${warehouse.target} (schema ${warehouse.schema})`,
      { ok: true, command: `sync ${kind}`, org: conn.target, warehouse: warehouse.target, schema: warehouse.schema, ...summary, durationMs },
      [
        ['window', summary.window],
        ['org', conn.target],
        ['available until', summary.dataAvailabilityDate],
        ['new', count(summary.new)],
        ['changed', count(summary.changed)],
        ['deleted', kind === 'evaluations' ? count(summary.deleted) : undefined],
        ['unchanged', count(summary.unchanged)],
        ['aged out', summary.aged ? `${count(summary.aged)} (their days left the look-back; rows kept)` : undefined],
        [kind === 'evaluations' ? 'evaluation GETs' : 'conversations read', count(summary.fetched)],
        ['requests', count(summary.requests)],
        ['duration', seconds(durationMs)],
      ],
    );
    return 0;
  } finally {
    await warehouse.close();
  }
}

export const sync: Command = {
  name: 'sync',
  summary: 'incremental sync of evaluations or conversations into PostgreSQL (or the embedded PGlite)',
  help,
  options,
  positionals: true,
  run,
};
