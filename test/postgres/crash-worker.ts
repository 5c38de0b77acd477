/**
 * Applies a deterministic series of change batches to a warehouse, resuming after the last committed batch (read
 * from the sync state the batches write), for the kill -9 test:
 *   node --import tsx test/postgres/crash-worker.ts '<CrashWorkerConfig JSON>'
 * Prints `start <b>` before each batch and `done` at the end.
 */
import { createPostgresWarehouse } from '../../src/postgres/index';
import { changeBatches } from './fixtures';

export interface CrashWorkerConfig {
  connectionString: string;
  schema: string;
  seed: number;
  batches: number;
  perBatch: number;
  universe: number;
}

export const STREAM = 'crash-test';

/** The sync state a batch writes with itself: the next batch to apply, and a fingerprint per upserted evaluation. */
export function batchState(b: number, batch: ReturnType<typeof changeBatches>[number]) {
  return {
    watermarks: [{ stream: STREAM, window: 'batches', watermark: null, state: { next: b + 1 } }],
    fingerprints: batch.map((c) => ({ stream: STREAM, key: c.op === 'upsert' ? c.row.id : c.evaluationId, fingerprint: c.op === 'upsert' ? `b${b}` : null })),
  };
}

async function main(config: CrashWorkerConfig): Promise<void> {
  const all = changeBatches(config.seed, config.batches, config.perBatch, config.universe);
  const w = createPostgresWarehouse({ connectionString: config.connectionString, schema: config.schema });
  const mark = (await w.readWatermarks(STREAM)).get('batches');
  const next = (mark?.state as { next?: number } | null)?.next ?? 0;
  for (let b = next; b < all.length; b++) {
    process.stdout.write(`start ${b}\n`);
    await w.apply(all[b] ?? [], { state: batchState(b, all[b] ?? []) });
  }
  process.stdout.write('done\n');
  await w.close();
}

const arg = process.argv[2];
if (arg) {
  main(JSON.parse(arg) as CrashWorkerConfig).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
