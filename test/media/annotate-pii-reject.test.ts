import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { ValidationError } from '../../src/errors';
import { MediaMetadata } from '../../src/media/media-metadata';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const EMAIL = 'jane.doe@example.com';
const PHONE = '(415) 555-0134';
const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';

describe("annotate with pii: 'reject' (the default)", () => {
  it('rejects every annotation carrying PII at once, naming keys and PII types, never echoing the PII; 0 requests', async () => {
    const media = new MediaMetadata(client);
    const err = await media
      .annotate(sim.data.conversationId(5), [
        { key: 'ok.note', value: 'customer satisfied' },
        { key: 'contact', value: `reach me at ${EMAIL} or call ${PHONE}` },
        { key: 'payment', value: `paid with ${CARD}` },
        { key: 'ok.other', value: 'order 100234567 shipped 2024-05-13' },
        { key: 'id.check', value: `SSN ${SSN}`, category: 'kyc' },
      ])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.issues.map((i) => [i.path, i.code])).toEqual([
      ['annotations[1].value', 'pii'],
      ['annotations[2].value', 'pii'],
      ['annotations[4].value', 'pii'],
    ]);
    expect(v.issues[0]!.message).toMatch(/email, phone \(2 matches\)/);
    expect(v.issues[1]!.message).toMatch(/card/);
    expect(v.issues[2]!.message).toMatch(/ssn/);

    const everything = JSON.stringify([v.message, v.toJSON(), media.exportAudit(), media.telemetry()]);
    for (const pii of [EMAIL, PHONE, CARD, SSN, '555-0134', '4111']) expect(everything).not.toContain(pii);
    expect(sim.stats.totalRequests).toBe(0);

    const [entry] = media.auditLog();
    expect(entry).toMatchObject({ status: 'rejected', payloadSha256: null, attempts: 0, correlationIds: [], error: { name: 'ValidationError' } });
    expect(media.telemetry().validation).toEqual({ checked: 5, accepted: 2, rejected: 3, redacted: 0, truncated: 0, accuracyRate: 0.4 });
  });

  it('rejects PII in a key or a category in both modes (they cannot be redacted), with the key not echoed in the path', async () => {
    for (const pii of ['reject', 'redact'] as const) {
      const media = new MediaMetadata(client, { pii });
      const err = (await media
        .annotate(sim.data.conversationId(5), { [SSN]: 'x', 'ok.key': { value: 'fine', category: `owner ${EMAIL}` } })
        .catch((e: unknown) => e)) as ValidationError;
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.issues.map((i) => [i.path, i.code])).toEqual([
        ['annotations[#0].key', 'pii'],
        ['annotations["ok.key"].category', 'pii'],
      ]);
      expect(err.message).not.toContain(SSN);
      expect(err.message).not.toContain(EMAIL);
    }
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('rejects PII in a recording annotation name or description before the POST', async () => {
    const media = new MediaMetadata(client);
    const err = (await media
      .addRecordingAnnotation(sim.data.conversationId(5), 'rec-1', { name: `call ${PHONE}`, description: `email ${EMAIL}` })
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => i.path)).toEqual(['annotation.name', 'annotation.description']);
    expect(err.message).not.toContain(EMAIL);
    expect(sim.stats.totalRequests).toBe(0);
    expect(media.auditLog()[0]).toMatchObject({ operation: 'addRecordingAnnotation', status: 'rejected', payloadSha256: null });
  });
});
