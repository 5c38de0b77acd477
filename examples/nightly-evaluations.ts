/**
 * Seed 001 (docs/design-intent.md): the nightly ETL of quality evaluations into a data warehouse.
 *
 * Yesterday's finished evaluations (UTC) become flat scorecard rows in an NDJSON file ready for COPY / bq load;
 * calibrations go to their own file (the seed's qm_calibrations table) so they never skew agent averages; score
 * columns are keyed by contextId so a new form version does not create new columns; a checkpoint makes the job
 * safe to kill and to rerun (a rerun of a finished day writes nothing).
 *
 *   npx tsx examples/nightly-evaluations.ts [YYYY-MM-DD]
 *
 * With no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET it runs against the simulated org.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSinkForPath, FileCheckpoint } from '@org/gc-data/sinks';
import { lastFullUtcDay } from '@org/gc-data/intervals';
import { QualityExporter, type QualityExportState } from '@org/gc-data';
import { connect, outDir, report } from './lib/connect';

const day = process.argv[2];
const interval = day ? `${day}T00:00:00Z/P1D` : lastFullUtcDay();
const date = interval.slice(0, 10);
const dir = outDir('nightly');
const files = {
  evaluations: join(dir, `evaluations-${date}.ndjson`),
  calibrations: join(dir, `qm_calibrations-${date}.ndjson`),
  checkpoint: join(dir, `evaluations-${date}.checkpoint.json`),
};

const { client, target, close } = await connect();
try {
  client.on('rateLimit', (e) => console.error(`[rate limit] holding requests for ${e.pausedForMs} ms (${e.kind})`));
  client.on('warning', (w) => console.error(`[warning] ${w.message}`));

  const exporter = new QualityExporter(client, {
    calibrations: 'separate', // docs/design-intent.md seed 001, edge case 2: load them into qm_calibrations
    concurrency: 5, // docs/design-intent.md seed 001, edge case 1: asyncio.Semaphore(5)
  });
  // append: true + the checkpoint = exactly once: a killed run is cut back to its last checkpoint and continued.
  const sink = createSinkForPath(files.evaluations, { append: true });
  const calibrationSink = createSinkForPath(files.calibrations, { append: true });
  const summary = await exporter.exportTo(sink, {
    interval,
    calibrationSink,
    checkpoint: new FileCheckpoint<QualityExportState>(files.checkpoint, { kind: 'quality-export' }),
    flatten: { keyBy: 'contextId' }, // docs/design-intent.md seed 001, edge case 3: form versions keep their columns
  });
  await sink.close();
  await calibrationSink.close();

  // What the warehouse will see: one score_<contextId> column set, whatever the form versions.
  const rows = readFileSync(files.evaluations, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const versions = new Map<string, Set<string>>();
  for (const r of rows) {
    const ctx = String(r.form_context_id);
    if (!versions.has(ctx)) versions.set(ctx, new Set());
    versions.get(ctx)?.add(String(r.form_id));
  }
  const scoreColumns = new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('score_'))));

  report(`Nightly quality export from the ${target}`, [
    ['interval', summary.interval],
    ['evaluations', `${summary.rows} new row(s) -> ${files.evaluations} (${rows.length} in the file)`],
    ['calibrations', `${summary.calibrationRows} row(s) -> ${files.calibrations}`],
    ['forms', `${versions.size} form(s) in ${[...versions.values()].reduce((n, s) => n + s.size, 0)} version(s), ${scoreColumns.size} score column(s)`],
    ['requests', `${summary.requests} (${summary.rateLimited} 429s waited out), ${summary.durationMs} ms`],
    ['rerun', summary.resumed ? 'this day was already exported: nothing was written twice' : `safe: ${files.checkpoint} says done`],
  ]);
  console.log('Load it:');
  console.log(`  snowflake> COPY INTO qm_evaluations FROM @etl/${date}/ FILES=('evaluations-${date}.ndjson') FILE_FORMAT=(TYPE=JSON) MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE;`);
  console.log(`  bq load --source_format=NEWLINE_DELIMITED_JSON --autodetect qm.evaluations ${files.evaluations}`);
  console.log('  (docs/warehouse-recipes.md has the table definitions and the PostgreSQL version)');
} finally {
  await close();
}
