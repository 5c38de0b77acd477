import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';

/**
 * Sink options, checked when a sink is made: an unknown key (a typo), `eol: ';'` or `format: 'xml'` were accepted and
 * ignored before, so the file came out other than asked.
 */
const common = () => ({
  append: z.boolean().optional(),
  fsync: z.boolean().optional(),
  end: z.boolean().optional(),
  onWarning: z.custom<(m: string) => void>((v) => typeof v === 'function', 'onWarning must be a function').optional(),
});

const Ndjson = lazySchema(() => z.strictObject(common()));

const csvFields = () => ({
  ...common(),
  columns: z.array(z.string().min(1).max(1_000)).max(10_000).optional(),
  header: z.boolean().optional(),
  newColumns: z.enum(['rewrite', 'drop', 'error']).optional(),
  eol: z.enum(['\n', '\r\n'], { error: 'eol must be "\\n" or "\\r\\n"' }).optional(),
});
const Csv = lazySchema(() => z.strictObject(csvFields()));
const ForPath = lazySchema(() => z.strictObject({ ...csvFields(), format: z.enum(['ndjson', 'csv'], { error: 'format must be "ndjson" or "csv"' }).optional() }));

export function checkNdjsonSinkOptions(options: unknown, where: string): void {
  parseOptions(Ndjson, options === undefined ? {} : options, where);
}
export function checkCsvSinkOptions(options: unknown, where: string): void {
  parseOptions(Csv, options === undefined ? {} : options, where);
}
export function checkSinkForPathOptions(options: unknown, where: string): void {
  parseOptions(ForPath, options === undefined ? {} : options, where);
}

const Checkpoint = lazySchema(() =>
  z.strictObject({
    kind: z.string().min(1, 'a non-empty kind is required (it names the job)').max(200),
    parse: z.custom<(state: unknown) => unknown>((v) => typeof v === 'function', 'parse must be a function').optional(),
    now: z.custom<() => Date>((v) => typeof v === 'function', 'now must be a function').optional(),
  }),
);
/** FileCheckpoint options (an unknown key or a `parse` that is not a function was ignored before). */
export function checkFileCheckpointOptions(options: unknown, where: string): void {
  parseOptions(Checkpoint, options, where);
}
