/** POST /api/v2/quality/evaluations/search: paged by pageNumber; no total in the response, so clients page until a short page. */
import type { RouteDef } from '../engine/context';
import { EVALUATION_SLOTS } from '../data/dataset';
import { compileSearch, searchMatches } from '../oracle/evaluation-search';
import { json, readJson } from '../engine/http';
import { evaluationSearchItem } from '../data/quality';
import type { SimEvaluationSearchItem, SimEvaluationSearchResponse } from '../data/types';

export function evaluationSearchRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/quality/evaluations/search',
      async handler({ org, request, url }) {
        const s = compileSearch(org.data, await readJson(request));
        const fault = org.faults.applies(url.pathname) ? org.faults.pageFault(s.pageNumber) : undefined;
        if (fault?.kind === 'empty') {
          org.stats.faults.emptyPage++;
          return json(200, {});
        }
        const all = org.queries.memo(`search|${s.key}|${s.sortBy ?? ''}|${s.descending}`, () => Float64Array.from(searchMatches(org.data, s)));
        const offset = (s.pageNumber - 1) * s.pageSize;
        const results: SimEvaluationSearchItem[] = [];
        for (let k = offset; k < Math.min(all.length, offset + s.pageSize); k++) {
          const p = all[k] ?? 0;
          const c = org.data.core(Math.floor(p / EVALUATION_SLOTS));
          const e = c.evaluations[p % EVALUATION_SLOTS];
          if (e) results.push(evaluationSearchItem(org.data, c, e));
        }
        if (fault?.kind === 'short') {
          org.stats.faults.shortPage++;
          results.splice(fault.keep ?? Math.floor(results.length / 2));
        }
        const body: SimEvaluationSearchResponse = { pageSize: s.pageSize, pageNumber: s.pageNumber, results };
        return json(200, body);
      },
    },
  ];
}
