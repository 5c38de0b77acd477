/**
 * Seed 000 (docs/design-intent.md): a legal hold on every quality record of a period, voice *and* digital, in a form a court accepts, built
 * on the LegalHold module (docs/legal-hold.md).
 *
 * 1. A bad selection never reaches the platform: the seed's "webrtc" is not a media type (0 requests).
 * 2. The conversations' recordings are protected from the retention policy, and the protection is confirmed.
 * 3. Everything is exported into one folder: conversation detail documents, every evaluation (all statuses,
 *    calibrations included; raw JSON and typed rows), recording metadata and the recordings themselves (batch
 *    download, fetched without the bearer token), with manifest.jsonl, manifest.sha256 and an HMAC signature.
 *    Recordings the platform withholds are listed in missing-recordings.json, never dropped.
 * 4. verifyHold re-hashes every file; 5. the protection is released (a real hold releases when the case closes).
 *
 *   npx tsx examples/legal-hold-export.ts [START_DATE END_DATE]      dates YYYY-MM-DD, end exclusive
 *
 * Default: the last full UTC day. With no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET it runs against the simulated org.
 * The signing key comes from HOLD_KEY (a demo key otherwise: keep a real one away from the hold).
 */
import { join } from 'node:path';
import { LegalHold, ValidationError, verifyHold, type GenesysClient } from '@org/gc-data';
import { lastFullUtcDay } from '@org/gc-data/intervals';
import { connect, outDir, report } from './lib/connect';

const [from, to] = process.argv.slice(2);
const interval = from && to ? `${from}T00:00:00Z/${to}T00:00:00Z` : lastFullUtcDay();
const folder = join(outDir('legal-hold'), 'hold');
const key = process.env.HOLD_KEY ?? 'demo-key-do-not-use-in-court';

function refusedBeforeSending(client: GenesysClient): string {
  const before = client.stats().requests;
  try {
    new LegalHold(client, { interval, filters: { field: 'mediaType', op: 'in', value: ['voice', 'webrtc'] } });
    return 'accepted (unexpected)';
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return `Refused before sending (${client.stats().requests - before} requests): ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  }
}

const { client, target, close } = await connect();
try {
  console.log(refusedBeforeSending(client));

  const hold = new LegalHold(client, { interval, download: { concurrency: 4 } });
  const summary = await hold.export({
    out: folder,
    key,
    protect: true,
    onProgress: (p) => {
      if (p.phase === 'done') process.stderr.write(`[example] ${p.recordingsReceived}/${p.recordingsExpected} recordings, ${p.bytes} bytes\n`);
    },
  });
  const verified = await verifyHold(folder, { key });
  const released = await hold.release({ conversationIds: await hold.conversationIds() });

  const p = summary.protection;
  report(`Legal hold export from the ${target}`, [
    ['interval', interval],
    ['folder', folder],
    ['conversations', summary.conversations],
    ['evaluations', `${summary.evaluations} (every status, calibrations included): evaluations/*.json + evaluations.ndjson`],
    ['recordings', `${summary.recordings.expected} expected, ${summary.recordings.received} received, ${summary.recordings.missing} missing`],
    ['bytes', summary.recordings.bytes],
    ['protection', p?.confirmed ? `confirmed for ${p.protected} conversation(s)` : `NOT confirmed for ${p?.notProtected.length ?? '?'} conversation(s)`],
    ['manifest', `${summary.files} files, sha256 ${summary.manifestSha256}, signed ${summary.signed}`],
    ['verify', verified.ok ? `intact (signature ${verified.signature})` : `FAILED: ${JSON.stringify({ added: verified.added, missing: verified.missing, altered: verified.altered.map((a) => a.path) })}`],
    ['released', `${released.released} of ${released.requested}, still protected: ${released.stillProtected.length}`],
  ]);
  if (!verified.ok) process.exitCode = 1;
} finally {
  await close();
}
