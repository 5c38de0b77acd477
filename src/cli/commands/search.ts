/**
 * `gc-data search`: InteractionSearch.query (details query, docs/design-intent.md seed 004's filter tree compiled to real predicates) ->
 * NDJSON conversations, or flat CSV rows. Optional signed batch callback to your own URL.
 */
import { projectConversation } from '../../analytics/projection';
import { InteractionSearch } from '../../search/interaction-search';
import type { SearchNotification } from '../../search/schemas';
import { BASE_OPTIONS, bool, choice, CONNECTION_OPTIONS, int, json, OUTPUT_OPTIONS, resolveInterval, rowsOnStdout, str } from '../args';
import type { Command, CommandContext } from '../context';
import { isAbort, UsageError } from '../errors';
import { closeAll, openSink, outputName, planOutput } from '../files';
import { count } from '../output';
import { costLines, measureRun } from '../run-cost';

/** The callback's HMAC key: from the environment only, like every secret. */
export const CALLBACK_SECRET_ENV = 'GC_DATA_CALLBACK_SECRET';

const options = {
  ...BASE_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...OUTPUT_OPTIONS,
  filter: { type: 'string' },
  order: { type: 'string' },
  limit: { type: 'string' },
  'page-size': { type: 'string' },
  'large-range': { type: 'string' },
  'callback-url': { type: 'string' },
  explain: { type: 'boolean' },
} as const;

const help = `Usage: gc-data search [flags]

Finds conversations that started in --interval and match --filter (a filter tree: { and|or: [...] } of
{ field, op, value }, ops equals, notEquals, greaterThan, lessThan, contains, exists, in; see docs/filters.md).
What the platform cannot express is applied to the results client-side, never dropped.

  --interval I            default: the last full UTC day
  --filter JSON|@FILE     e.g. '{"and":[{"field":"mediaType","op":"equals","value":"voice"},{"field":"tSegmentDuration","op":"greaterThan","value":180000}]}'
  --out FILE              .ndjson/.jsonl (the platform's conversation records) or .csv (one flat row each); - = stdout (default)
  --order asc|desc        by conversation start (default asc)
  --limit N               stop after N conversations
  --page-size N           1..100 (default 100)
  --large-range POLICY    past 31 days: error (default) | split | job
  --callback-url URL      POST a signed notification after each batch (HMAC key from ${CALLBACK_SECRET_ENV})
  --explain               print what would be sent (server filters, client-side residual) and stop
  --json, --quiet, --verbose

Connection: as for export-evaluations. With no credentials, the simulated org is used.
Exit codes: 0 ok, 2 bad input, 3 auth/permission, 4 deadline or rate limit exhausted, 130 Ctrl-C, 1 other.
`;

async function run(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const interval = resolveInterval(values, ctx.clock);
  const plan = planOutput(values, { checkpoints: false });
  const filter = json(values, 'filter');
  const order = choice(values, 'order', ['asc', 'desc'] as const);
  const limit = int(values, 'limit', { min: 1 });
  const pageSize = int(values, 'page-size', { min: 1, max: 100 });
  const largeRange = choice(values, 'large-range', ['error', 'split', 'job'] as const);
  const callbackUrl = str(values, 'callback-url');
  const secret = ctx.env[CALLBACK_SECRET_ENV];
  if (callbackUrl && !secret) throw new UsageError(`--callback-url needs the HMAC key in ${CALLBACK_SECRET_ENV} (at least 16 characters)`);

  const conn = await ctx.connect();
  const { client } = conn;
  const search = new InteractionSearch(client);
  const request = {
    interval,
    signal: ctx.signal,
    ...(filter !== undefined ? { filter: filter as never } : {}),
    ...(order ? { order } : {}),
    ...(limit ? { limit } : {}),
    ...(pageSize ? { pageSize } : {}),
    ...(largeRange ? { largeRange } : {}),
    ...(callbackUrl && secret ? { callback: { url: callbackUrl, secret } } : {}),
  };
  if (bool(values, 'explain')) {
    const { signal: _signal, ...shown } = request;
    const explained = search.explain({ ...shown, callback: undefined } as never);
    if (out.options.json) out.print(JSON.stringify({ ok: true, command: 'search', explain: explained }));
    else out.print(JSON.stringify(explained, null, 2));
    return 0;
  }
  let last: SearchNotification | undefined;
  let batches = 0;
  // Validates the whole request here (a ValidationError = exit 2) before the output file is opened.
  const results = search.query({
    ...request,
    notify: (n) => {
      last = n;
      if (n.type === 'batch') batches++;
    },
  });
  const flat = plan.format === 'csv';
  const sink = openSink<Record<string, unknown>>(plan, out);
  const progress = ctx.progress(client, 'conversations', 'search');
  const cost = measureRun(client);
  const onProgress = (e: { operation: string; [k: string]: unknown }) => {
    if (e.operation !== 'search.query') return;
    const scanned = Number(e.scanned ?? 0);
    const totalHits = typeof e.totalHits === 'number' ? e.totalHits : undefined;
    progress.set({ value: scanned, total: totalHits, rows: Number(e.matched ?? 0) });
  };
  client.on('progress', onProgress);
  try {
    progress.start();
    for await (const c of results) await sink.write(flat ? (projectConversation(c) as unknown as Record<string, unknown>) : (c as unknown as Record<string, unknown>));
  } catch (e) {
    progress.stop();
    await closeAll([sink], out);
    if (isAbort(e, ctx.signal)) return ctx.interrupted(`${count(sink.rowsWritten)} conversation(s) written to ${outputName(plan)}`);
    throw e;
  } finally {
    client.off('progress', onProgress);
  }
  progress.stop();
  if (!(await closeAll([sink], out))) return 1;
  const spent = cost.end();
  const done = last?.type === 'complete' ? last : undefined;
  const data = {
    ok: true,
    command: 'search',
    org: conn.target,
    out: plan.path,
    interval,
    matched: sink.rowsWritten,
    scanned: done?.scanned,
    pages: done?.pages,
    batches,
    reason: done?.reason,
    ...spent,
  };
  out.summary(`Found ${count(data.matched)} conversation(s); written to ${outputName(plan)}`, data, [
    ['interval', interval],
    ['org', conn.target],
    ['scanned', done ? `${count(done.scanned)} conversation(s) the platform returned on ${count(done.pages)} page(s)` : undefined],
    ['stopped', done?.reason === 'limit' ? `at --limit ${limit}` : undefined],
    ['callbacks', callbackUrl ? `${batches + 1} notification(s) delivered to ${new URL(callbackUrl).origin}` : undefined],
    ...costLines(spent),
  ]);
  return 0;
}

export const search: Command = {
  name: 'search',
  summary: 'conversations matching a filter tree -> NDJSON/CSV (InteractionSearch)',
  help,
  options,
  rowsOnStdout: (values) => rowsOnStdout(values) && !values.explain,
  run,
};
