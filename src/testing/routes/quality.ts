/**
 * Quality reads: one evaluation by id (docs/platform-notes.md section e) and evaluation forms by version id, so exporters can
 * join version-specific question ids against the exact version.
 */
import type { OrgCore, RouteDef } from '../engine/context';
import { json, notFound } from '../engine/http';
import { evaluationResponse } from '../data/quality';
import type { SimEvaluationForm } from '../data/types';

/** `?expand=a,b` and `?expand=a&expand=b` both work. */
export function expandList(url: URL): Set<string> {
  return new Set(url.searchParams.getAll('expand').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
}

function formById(org: OrgCore, id: string): SimEvaluationForm | undefined {
  for (const family of org.data.forms) for (const v of family.versions) if (v.id === id.toLowerCase()) return v;
  return undefined;
}

/** The wrongBody fault's 'other' body: the next evaluation in the dataset after (conversation, slot). */
function anotherEvaluation(org: OrgCore, index: number, slot: number) {
  const size = org.data.size;
  for (let k = 0; k < Math.min(size, 10_000); k++) {
    const i = (index + k) % size;
    const c = org.data.core(i);
    for (let s = k === 0 ? slot + 1 : 0; s < c.evaluations.length; s++) {
      const e = c.evaluations[s];
      if (e && e.deleted === undefined) return { c, e };
    }
  }
  return undefined;
}

export function qualityRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}',
      handler({ org, params, url }) {
        const { conversationId = '', evaluationId = '' } = params;
        const ref = org.data.evaluationRef(evaluationId);
        const index = org.data.conversationIndex(conversationId);
        if (!ref || index === undefined || ref.index !== index) throw notFound(`Evaluation ${evaluationId} was not found for conversation ${conversationId}.`);
        const c = org.data.core(index);
        const e = c.evaluations[ref.slot];
        if (!e || e.deleted !== undefined) throw notFound(`Evaluation ${evaluationId} was not found for conversation ${conversationId}.`);
        const expand = expandList(url).has('evaluationForm');
        const wrong = org.faults.applies(url.pathname) ? org.faults.wrongBody() : undefined;
        if (wrong === 'stub') {
          org.stats.faults.wrongBody++;
          return json(200, { id: 'x' });
        }
        if (wrong === 'other') {
          const other = anotherEvaluation(org, index, ref.slot);
          if (other) {
            org.stats.faults.wrongBody++;
            return json(200, evaluationResponse(org.data, other.c, other.e, expand));
          }
        }
        return json(200, evaluationResponse(org.data, c, e, expand));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/quality/forms/evaluations/{formId}',
      handler({ org, params }) {
        const form = formById(org, params.formId ?? '');
        if (!form) throw notFound(`Evaluation form ${params.formId ?? ''} was not found.`);
        return json(200, form);
      },
    },
  ];
}
