/**
 * Loading an extract checkpoint: the state is checked with its schema (a FileCheckpoint may also check it, but a
 * caller's own store may not), and a checkpoint written by a different extract is refused instead of silently
 * skipping windows that were never exported.
 */
import { ValidationError, validationErrorFromZod } from '../errors';
import type { Checkpoint } from '../sinks/checkpoint';
import { ExtractCheckpointState } from './schemas';

/** The `kind` to give a FileCheckpoint holding an extract's state. */
export const EXTRACT_CHECKPOINT_KIND = 'report-jobs:extract';

export async function readCheckpoint(checkpoint: Checkpoint<ExtractCheckpointState>): Promise<ExtractCheckpointState | undefined> {
  const raw: unknown = await checkpoint.load();
  if (raw === undefined) return undefined;
  const parsed = ExtractCheckpointState.safeParse(raw);
  if (!parsed.success) {
    throw validationErrorFromZod('extract checkpoint', parsed.error, 'The checkpoint was not written by ReportQueries.extract() of this SDK version: clear it to start over.');
  }
  return parsed.data;
}

export function refuseOtherExtract(savedKey: string, key: string): ValidationError {
  return new ValidationError(
    'extract checkpoint',
    [
      {
        path: 'checkpoint',
        message: `the checkpoint belongs to another extract (saved for ${savedKey}, this one is ${key})`,
        code: 'checkpoint_mismatch',
      },
    ],
    'Use one checkpoint per extract (interval, query, chunk and availability options), or clear it to start over.',
  );
}
