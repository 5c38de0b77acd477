/**
 * Conversation custom attributes (SDK 262 shapes: `CustomAttributes`, `CustomAttributesListing`,
 * `CustomAttributesUpdateRequest {id, version?, divisions?, schemaId?, customAttributes}`).
 * - GET .../customattributes -> `{ results: [...] }` (empty when nothing was written: choice).
 * - GET/DELETE .../customattributes/{attributesId}.
 * - PUT .../customattributes creates the record (version 1) or replaces all its data ("Updating replaces all data").
 *   Optimistic concurrency (choice, the platform's exact rules are not documented): updating an existing record needs
 *   its current `version`; a different one is 409 `conflict`, a missing one is 400. Each write increments `version`.
 * - PATCH .../customattributes merges the given keys, with the same version rule; 204.
 */
import type { OrgCore, RouteDef } from '../engine/context';
import { badRequest, conflict, empty, isRecord, json, notFound, readJson } from '../engine/http';
import type { JsonValue, SimCustomAttributes } from '../data/types';
import { iso } from '../data/time';

const CONV = '/api/v2/conversations/{conversationId}';

function conversationId(org: OrgCore, id: string): string {
  const index = org.data.conversationIndex(id);
  if (index === undefined) throw notFound(`Conversation ${id} was not found.`);
  return org.data.conversationId(index);
}

interface WriteRequest {
  id: string;
  version: number | undefined;
  divisions: string[] | undefined;
  customAttributes: Record<string, JsonValue>;
}

function parseWrite(body: unknown): WriteRequest {
  if (!isRecord(body)) throw badRequest('The body must be a custom attributes request object.');
  const { id, version, divisions, customAttributes } = body;
  if (typeof id !== 'string' || id === '') throw badRequest('id is required.', 'id');
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version))) throw badRequest('version must be an integer.', 'version');
  if (divisions !== undefined && (!Array.isArray(divisions) || divisions.some((d) => typeof d !== 'string'))) throw badRequest('divisions must be an array of strings.', 'divisions');
  if (!isRecord(customAttributes)) throw badRequest('customAttributes is required (an object).', 'customAttributes');
  return { id, version, divisions: divisions as string[] | undefined, customAttributes: customAttributes as Record<string, JsonValue> };
}

function checkVersion(existing: SimCustomAttributes, version: number | undefined): void {
  if (version === undefined) throw badRequest(`version is required to update custom attributes ${existing.id} (current version ${existing.version}).`, 'version');
  if (version !== existing.version) throw conflict(`The version ${version} is stale: custom attributes ${existing.id} are at version ${existing.version}.`);
}

function write(org: OrgCore, cid: string, req: WriteRequest, now: number, merge: boolean): SimCustomAttributes {
  const existing = org.attributes.get(cid, req.id);
  if (existing) checkVersion(existing, req.version);
  const record: SimCustomAttributes = {
    id: req.id,
    conversationId: cid,
    divisions: req.divisions ?? existing?.divisions ?? [org.data.pools.division.id],
    customAttributes: merge && existing ? { ...existing.customAttributes, ...req.customAttributes } : req.customAttributes,
    version: (existing?.version ?? 0) + 1,
    dateCreated: existing?.dateCreated ?? iso(now),
    dateModified: iso(now),
    selfUri: `/api/v2/conversations/${cid}/customattributes/${encodeURIComponent(req.id)}`,
  };
  org.attributes.put(record);
  return record;
}

export function customAttributeRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: `${CONV}/customattributes`,
      handler: ({ org, params }) => json(200, { results: org.attributes.list(conversationId(org, params.conversationId ?? '')) }),
    },
    {
      method: 'PUT',
      path: `${CONV}/customattributes`,
      async handler({ org, params, request, now }) {
        const cid = conversationId(org, params.conversationId ?? '');
        const record = write(org, cid, parseWrite(await readJson(request)), now, false);
        return json(200, { id: record.id });
      },
    },
    {
      method: 'PATCH',
      path: `${CONV}/customattributes`,
      async handler({ org, params, request, now }) {
        const cid = conversationId(org, params.conversationId ?? '');
        const req = parseWrite(await readJson(request));
        if (!org.attributes.get(cid, req.id)) throw notFound(`Custom attributes ${req.id} were not found on conversation ${cid}.`);
        write(org, cid, req, now, true);
        return empty(204);
      },
    },
    {
      method: 'GET',
      path: `${CONV}/customattributes/{attributesId}`,
      handler({ org, params }) {
        const cid = conversationId(org, params.conversationId ?? '');
        const record = org.attributes.get(cid, params.attributesId ?? '');
        if (!record) throw notFound(`Custom attributes ${params.attributesId ?? ''} were not found on conversation ${cid}.`);
        return json(200, record);
      },
    },
    {
      method: 'DELETE',
      path: `${CONV}/customattributes/{attributesId}`,
      handler({ org, params }) {
        const cid = conversationId(org, params.conversationId ?? '');
        if (!org.attributes.delete(cid, params.attributesId ?? '')) throw notFound(`Custom attributes ${params.attributesId ?? ''} were not found on conversation ${cid}.`);
        return empty(204);
      },
    },
  ];
}
