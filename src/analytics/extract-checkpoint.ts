/**
 * Loading an extract checkpoint through the resumable runner (src/sinks/resumable-run.ts): the state is checked with
 * its schema (a FileCheckpoint may also check it, but a caller's own store may not), and a version-1 state (before
 * the runner) is read as version 2. The runner refuses a checkpoint written by a different extract instead of
 * silently skipping windows that were never exported.
 */
import { validationErrorFromZod } from '../errors';
import { ExtractCheckpointState } from './schemas';

/** The `kind` to give a FileCheckpoint holding an extract's state. */
export const EXTRACT_CHECKPOINT_KIND = 'report-jobs:extract';

/** The runner's `parse` and `upgrade` for extracts: one schema reads both versions. */
export function parseExtractState(raw: Record<string, unknown>): ExtractCheckpointState {
  const parsed = ExtractCheckpointState.safeParse(raw);
  if (!parsed.success) {
    throw validationErrorFromZod('extract checkpoint', parsed.error, 'The checkpoint was not written by ReportQueries.extract() of this SDK version: clear it to start over.');
  }
  return parsed.data;
}
