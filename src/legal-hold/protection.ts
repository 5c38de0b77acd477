/**
 * Deletion protection of a hold's conversations: `PUT /api/v2/recordings/deletionprotection?protect=true|false` in
 * batches, each confirmed by `POST /api/v2/recordings/deletionprotection` (which lists the protected ones), so a
 * protection that did not take is reported, never assumed (docs/legal-hold.md, "Protection").
 */
import type { GenesysClient } from '../client';
import { DeleteProtectionResult, EntityRefList } from './schemas';

const PROTECTION_PATH = '/api/v2/recordings/deletionprotection';

export interface NotProtected {
  conversationId: string;
  /** The platform's failedUpdates message, or why the hold thinks it is not protected. */
  errorMessage: string;
  errorCode: string | undefined;
}

export interface ProtectionReport {
  requested: number;
  /** Confirmed protected by `POST /api/v2/recordings/deletionprotection`. */
  protected: number;
  /** Not confirmed: reported by the PUT's failedUpdates, or missing from the confirming POST. */
  notProtected: NotProtected[];
  confirmed: boolean;
  correlationIds: string[];
}

export interface ReleaseReport {
  requested: number;
  released: number;
  /** Still listed as protected after the release. */
  stillProtected: string[];
  correlationIds: string[];
}

/** Protects (`on`) or releases `ids` in batches of `size`, and reports how each ended up. */
export async function setProtection(client: GenesysClient, ids: string[], on: boolean, size: number, signal: AbortSignal | undefined): Promise<ProtectionReport | ReleaseReport> {
  const correlationIds: string[] = [];
  const failed = new Map<string, NotProtected>();
  const listed = new Set<string>();
  const sig = signal ? { signal } : {};
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size);
    const put = await client.requestWithResponse({
      method: 'PUT',
      path: PROTECTION_PATH,
      query: { protect: on },
      body: { conversationIds: batch },
      schema: DeleteProtectionResult,
      ...sig,
    });
    if (put.correlationId) correlationIds.push(put.correlationId);
    for (const f of put.data.failedUpdates ?? []) {
      const id = f.conversation?.id?.toLowerCase();
      if (id) failed.set(id, { conversationId: id, errorMessage: f.errorMessage ?? 'reported in failedUpdates without a message', errorCode: f.errorCode });
    }
    // The POST only reads; repeating it is safe.
    const list = await client.requestWithResponse({ method: 'POST', path: PROTECTION_PATH, body: { conversationIds: batch }, schema: EntityRefList, idempotent: true, ...sig });
    if (list.correlationId) correlationIds.push(list.correlationId);
    for (const r of list.data) if (r.id) listed.add(r.id.toLowerCase());
  }
  if (!on) {
    const stillProtected = ids.filter((id) => listed.has(id.toLowerCase()));
    return { requested: ids.length, released: ids.length - stillProtected.length, stillProtected, correlationIds };
  }
  const notProtected: NotProtected[] = [];
  for (const id of ids) {
    const key = id.toLowerCase();
    if (listed.has(key)) continue;
    notProtected.push(failed.get(key) ?? { conversationId: key, errorMessage: 'not listed as protected by POST /api/v2/recordings/deletionprotection after the PUT', errorCode: undefined });
  }
  if (notProtected.length) {
    client.emit('warning', {
      code: 'legal-hold-not-protected',
      message: `${notProtected.length} of ${ids.length} conversation(s) are not protected from deletion (first: ${notProtected[0]!.conversationId}: ${notProtected[0]!.errorMessage.slice(0, 100)})`,
      details: { notProtected: notProtected.slice(0, 20) },
    });
  }
  return { requested: ids.length, protected: ids.length - notProtected.length, notProtected, confirmed: notProtected.length === 0, correlationIds };
}
