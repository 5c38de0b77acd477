/**
 * Quality reads: one evaluation by id (genesys-api.md section e) and evaluation forms by version id, so exporters can
 * join version-specific question ids against the exact version.
 */
import type { OrgCore, RouteDef } from '../context';
import { json, notFound } from '../http';
import { evaluationResponse } from '../quality';
import type { SimEvaluationForm } from '../types';

/** `?expand=a,b` and `?expand=a&expand=b` both work. */
export function expandList(url: URL): Set<string> {
  return new Set(url.searchParams.getAll('expand').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
}

function formById(org: OrgCore, id: string): SimEvaluationForm | undefined {
  for (const family of org.data.forms) for (const v of family.versions) if (v.id === id.toLowerCase()) return v;
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
        if (!e) throw notFound(`Evaluation ${evaluationId} was not found for conversation ${conversationId}.`);
        return json(200, evaluationResponse(org.data, c, e, expandList(url).has('evaluationForm')));
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
