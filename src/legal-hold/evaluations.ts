/** The evaluations of a hold (docs/legal-hold.md, "The hold folder"). */
import type { GenesysClient } from '../client';
import type { ResponseEvent } from '../events';
import type { FilterNode } from '../filters/builder';
import { formatInterval } from '../helpers/intervals';
import { fsPromises } from '../internal/node-builtins';
import { QualityExporter } from '../quality/exporter';
import { flattenScorecard } from '../quality/scorecard';
import { EVALUATION_STATUSES } from '../quality/schemas';
import { fileSafe, type HoldStore } from './hold-store';
import { join } from './manifest';
import type { Plan, Selected } from './selection';

/** Conversation ids per evaluation discovery pass of an id selection (a `conversationId in [...]` filter). */
const IDS_PER_EVALUATION_PASS = 50;

/**
 * Every evaluation of the selected conversations, all statuses and calibrations, through QualityExporter: the raw
 * JSON of each (`evaluations/<eid>.json`), then the typed rows (`evaluations.ndjson`) built from those files in id
 * order, so the rows file has the same bytes on every run.
 */
export async function exportEvaluations(
  client: GenesysClient,
  store: HoldStore,
  plan: Plan,
  selected: Selected,
  concurrency: number,
  signal: AbortSignal | undefined,
  onOne: () => void,
): Promise<void> {
  const exporter = new QualityExporter(client, {
    calibrations: 'include',
    evaluationStatus: [...EVALUATION_STATUSES],
    concurrency,
  });
  // Correlation ids of the evaluation GETs, by evaluation id (the exporter hands out the bodies only).
  const correlation = new Map<string, string>();
  const listener = (e: ResponseEvent) => {
    const m = /\/api\/v2\/quality\/conversations\/[^/]+\/evaluations\/([^/?]+)$/.exec(e.path);
    if (m && e.status === 200 && e.correlationId) correlation.set(decodeURIComponent(m[1]!).toLowerCase(), e.correlationId);
  };
  const wanted = new Set(selected.ids);
  const requests: Array<{ interval: string; filters?: FilterNode }> = [];
  if (plan.mode === 'interval') requests.push({ interval: plan.interval, ...(plan.filters ? { filters: plan.filters } : {}) });
  else {
    const byStart = selected.ids.filter((id) => selected.starts.has(id)).sort((a, b) => selected.starts.get(a)! - selected.starts.get(b)!);
    for (let i = 0; i < byStart.length; i += IDS_PER_EVALUATION_PASS) {
      const chunk = byStart.slice(i, i + IDS_PER_EVALUATION_PASS);
      const first = selected.starts.get(chunk[0]!)!;
      const last = selected.starts.get(chunk[chunk.length - 1]!)!;
      requests.push({ interval: formatInterval(first, last + 1), filters: { field: 'conversationId', op: 'in', value: chunk } });
    }
  }
  client.on('response', listener);
  try {
    for (const req of requests) {
      for await (const evaluation of exporter.evaluations({ ...req, ...(signal ? { signal } : {}) })) {
        const cid = evaluation.conversation?.id?.toLowerCase();
        if (cid !== undefined && !wanted.has(cid)) continue;
        const eid = evaluation.id.toLowerCase();
        const path = `evaluations/${fileSafe(eid)}.json`;
        if (!store.has(path)) {
          await store.writeJson(path, evaluation, { evaluationId: eid, ...(cid ? { conversationId: cid } : {}) }, correlation.get(eid) ?? null);
        }
        correlation.delete(eid);
        onOne();
      }
    }
  } finally {
    client.off('response', listener);
  }
  // Typed rows, built from the raw files in evaluation id order: the same bytes on every run.
  const fs = fsPromises();
  const lines: string[] = [];
  for (const path of store.paths('evaluations/')) {
    const evaluation = JSON.parse(await fs.readFile(join(store.folder, path), 'utf8')) as Parameters<typeof flattenScorecard>[0];
    lines.push(`${JSON.stringify(flattenScorecard(evaluation))}\n`);
  }
  await store.writeText('evaluations.ndjson', lines.join(''), {}, null);
}
