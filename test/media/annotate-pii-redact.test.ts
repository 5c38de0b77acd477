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

const recorded = (skip: number) => {
  let seen = 0;
  for (let i = 0; i < sim.data.size; i++) if (sim.data.recordingIds(i).length > 0 && seen++ === skip) return i;
  throw new Error('no recorded conversation');
};

describe("annotate with pii: 'redact'", () => {
  it('writes the redacted values, lists the redacted keys, and the stored record holds no PII', async () => {
    const cid = sim.data.conversationId(recorded(0));
    const media = new MediaMetadata(client, { pii: 'redact' });
    const r = await media.annotate(cid, [
      { key: 'contact', value: 'Call Jane on (415) 555-0134 or jane.doe@example.com' },
      { key: 'clean', value: 'no personal data here' },
      { key: 'payment', value: 'Paid with 4111 1111 1111 1111, SSN 123-45-6789.', category: 'billing' },
    ]);
    expect(r.redacted).toEqual(['contact', 'payment']);
    expect(r.written).toEqual(['clean', 'contact', 'payment']);
    const rec = await client.request<{ customAttributes: Record<string, { value: string }> }>({
      path: `/api/v2/conversations/${cid}/customattributes/gc-data-annotations`,
    });
    expect(rec.customAttributes.contact!.value).toBe('Call Jane on [REDACTED:phone] or [REDACTED:email]');
    expect(rec.customAttributes.payment!.value).toBe('Paid with [REDACTED:card], SSN [REDACTED:ssn].');
    expect(rec.customAttributes.clean!.value).toBe('no personal data here');
    expect(media.telemetry().validation).toMatchObject({ checked: 3, accepted: 3, redacted: 2, accuracyRate: 1 });
  });

  it('uses piiMask and piiTypes, and re-checks the length after redaction', async () => {
    const cid = sim.data.conversationId(recorded(1));
    const media = new MediaMetadata(client, { pii: 'redact', piiMask: '***', piiTypes: ['email'] });
    const r = await media.annotate(cid, { note: 'mail a@b.example.org, tel 415-555-0134' });
    const rec = await client.request<{ customAttributes: Record<string, { value: string }> }>({
      path: `/api/v2/conversations/${cid}/customattributes/gc-data-annotations`,
    });
    expect(r.redacted).toEqual(['note']);
    expect(rec.customAttributes.note!.value).toBe('mail ***, tel 415-555-0134');

    // A long mask can push a value past the limit: reported, nothing sent.
    const long = new MediaMetadata(client, { pii: 'redact', piiMask: 'x'.repeat(50), maxValueLength: 30 });
    const err = (await long.annotate(cid, { n: 'ssn 123-45-6789' }).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]).toMatchObject({ path: 'annotations.n.value', code: 'too_big' });
    expect(err.issues[0]!.message).toMatch(/after redaction/);
  });

  it('redacts a recording annotation description before the POST', async () => {
    const i = recorded(2);
    const cid = sim.data.conversationId(i);
    const rid = sim.data.recordingIds(i)[0]!;
    const media = new MediaMetadata(client, { pii: 'redact' });
    const r = await media.addRecordingAnnotation(cid, rid, { name: 'callback', description: 'customer asked for a call on 415-555-0134 at noon' , location: 1000 });
    expect(r.redacted).toEqual(['description']);
    expect(r.annotation.description).toBe('customer asked for a call on [REDACTED:phone] at noon');
    const listed = await client.request<Array<{ description?: string }>>({ path: `/api/v2/conversations/${cid}/recordings/${rid}/annotations` });
    expect(listed.map((a) => a.description)).toContain('customer asked for a call on [REDACTED:phone] at noon');
  });
});
