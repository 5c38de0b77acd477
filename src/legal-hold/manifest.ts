/**
 * The hold's chain of custody: `manifest.jsonl` (one line per file: relative path, size, sha256, source ids,
 * retrieval time, correlation id; sorted by path so two runs that fetched the same bytes write the same lines apart
 * from retrieval times and correlation ids), `manifest.sha256` (`<hex>  manifest.jsonl`, the `sha256sum -c` format)
 * and, with a key, `manifest.hmac` (HMAC-SHA256 of manifest.jsonl). `verifyHold` re-hashes every file.
 */
import { ValidationError } from '../errors';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { writeAtomic } from '../sinks/checkpoint';
import { sha256File } from '../transport/download';

export const MANIFEST_FILE = 'manifest.jsonl';
export const MANIFEST_SHA256_FILE = 'manifest.sha256';
export const MANIFEST_HMAC_FILE = 'manifest.hmac';
/** Resume state of an export in progress; not part of the hold. */
export const STATE_DIR = '.state';
const NOT_HELD = new Set([MANIFEST_FILE, MANIFEST_SHA256_FILE, MANIFEST_HMAC_FILE]);

export interface ManifestEntry {
  /** Relative to the hold folder, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
  /** Ids of what the file holds: conversationId, evaluationId, recordingId, jobId ... */
  source: Record<string, string>;
  /** ISO time the content was retrieved from the platform (or derived, for files built from others). */
  retrievedAt: string;
  /** `ININ-Correlation-Id` of the response the content came from; null when there is none (derived files). */
  correlationId: string | null;
}

/** One manifest line, keys in a fixed order (source keys sorted), so equal entries are equal bytes. */
export function manifestLine(e: ManifestEntry): string {
  const source: Record<string, string> = {};
  for (const k of Object.keys(e.source).sort()) source[k] = e.source[k]!;
  return JSON.stringify({ path: e.path, size: e.size, sha256: e.sha256, source, retrievedAt: e.retrievedAt, correlationId: e.correlationId });
}

/** Byte-order comparison (not locale): the same order everywhere. */
export const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export type HmacKey = string | Uint8Array;

export function hmacHex(key: HmacKey, data: Buffer): string {
  return nodeCrypto().createHmac('sha256', typeof key === 'string' ? Buffer.from(key, 'utf8') : key).update(data).digest('hex');
}

/** Writes manifest.jsonl (sorted), manifest.sha256 and, with a key, manifest.hmac (else removes a stale one). */
export async function writeManifest(folder: string, entries: Iterable<ManifestEntry>, key?: HmacKey): Promise<{ sha256: string; hmac: string | undefined; files: number }> {
  const sorted = [...entries].sort(byPath);
  const text = sorted.map((e) => `${manifestLine(e)}\n`).join('');
  const bytes = Buffer.from(text, 'utf8');
  const sha256 = nodeCrypto().createHash('sha256').update(bytes).digest('hex');
  await writeAtomic(join(folder, MANIFEST_FILE), text);
  await writeAtomic(join(folder, MANIFEST_SHA256_FILE), `${sha256}  ${MANIFEST_FILE}\n`);
  let hmac: string | undefined;
  if (key !== undefined) {
    hmac = hmacHex(key, bytes);
    await writeAtomic(join(folder, MANIFEST_HMAC_FILE), `${hmac}  ${MANIFEST_FILE}\n`);
  } else {
    await fsPromises().rm(join(folder, MANIFEST_HMAC_FILE), { force: true });
  }
  return { sha256, hmac, files: sorted.length };
}

export interface AlteredFile {
  path: string;
  expected: { size: number; sha256: string };
  actual: { size: number; sha256: string };
}

export interface VerifyHoldOptions {
  /** The HMAC key the hold was signed with: the signature is then checked (and required). */
  key?: HmacKey;
}

export interface VerifyHoldReport {
  ok: boolean;
  folder: string;
  /** Files listed in the manifest. */
  files: number;
  /** manifest.jsonl matches manifest.sha256. */
  manifestIntact: boolean;
  /** `valid`/`invalid` when a key was given; `absent` when there is no manifest.hmac; `not-checked` when it exists but no key was given. */
  signature: 'valid' | 'invalid' | 'absent' | 'not-checked';
  /** On disk, not in the manifest. */
  added: string[];
  /** In the manifest, not on disk. */
  missing: string[];
  /** In both, with another size or sha256. */
  altered: AlteredFile[];
  /** Lines of manifest.jsonl that are not entries (a damaged manifest). */
  badLines: number[];
}

/**
 * Re-hashes every file of a hold folder against its manifest and reports added, missing and altered files, whether
 * the manifest itself is intact (manifest.sha256) and, with `key`, whether its HMAC signature is valid. Files are
 * read in 1 MiB pieces: memory stays flat whatever their size. The export's resume state (`.state/`) is ignored.
 */
export async function verifyHold(folder: string, options: VerifyHoldOptions = {}): Promise<VerifyHoldReport> {
  const issues = [];
  if (typeof folder !== 'string' || folder === '') issues.push({ path: 'folder', message: 'folder must be the path of a hold folder' });
  if (typeof options !== 'object' || options === null) issues.push({ path: 'options', message: 'options must be an object' });
  else {
    for (const k of Object.keys(options)) if (k !== 'key') issues.push({ path: k, message: `unknown key "${k}": check its spelling` });
    const key = options.key;
    if (key !== undefined && !(typeof key === 'string' && key.length > 0) && !(key instanceof Uint8Array && key.length > 0)) {
      issues.push({ path: 'key', message: 'key must be a non-empty string or bytes' });
    }
  }
  if (issues.length) throw new ValidationError('verifyHold() input', issues);
  const fs = fsPromises();
  let text: string;
  try {
    text = await fs.readFile(join(folder, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ValidationError('verifyHold() input', [
        { path: 'folder', message: `${join(folder, MANIFEST_FILE)} does not exist: not a hold folder, or its export never finished (run it again to finish it)` },
      ]);
    }
    throw e;
  }
  const bytes = Buffer.from(text, 'utf8');
  const sha = nodeCrypto().createHash('sha256').update(bytes).digest('hex');
  const recorded = (await readOptional(join(folder, MANIFEST_SHA256_FILE)))?.trim().split(/\s+/)[0];
  const manifestIntact = recorded === sha;
  const hmacText = (await readOptional(join(folder, MANIFEST_HMAC_FILE)))?.trim().split(/\s+/)[0];
  let signature: VerifyHoldReport['signature'];
  if (options.key !== undefined) {
    const want = hmacHex(options.key, bytes);
    signature = hmacText === undefined ? 'absent' : hmacText.length === want.length && nodeCrypto().timingSafeEqual(Buffer.from(hmacText), Buffer.from(want)) ? 'valid' : 'invalid';
  } else signature = hmacText === undefined ? 'absent' : 'not-checked';

  const entries = new Map<string, ManifestEntry>();
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    try {
      const e = JSON.parse(line) as ManifestEntry;
      if (typeof e.path !== 'string' || typeof e.size !== 'number' || typeof e.sha256 !== 'string') throw new Error('not an entry');
      // A (tampered) entry may not point outside the folder: it is a bad line, and nothing outside is read.
      if (!isInside(e.path)) throw new Error('path outside the hold');
      entries.set(e.path, e);
    } catch {
      badLines.push(i + 1);
    }
  });
  const onDisk = new Set(await listFiles(folder));
  const added = [...onDisk].filter((p) => !entries.has(p)).sort();
  const missing: string[] = [];
  const altered: AlteredFile[] = [];
  for (const e of [...entries.values()].sort(byPath)) {
    if (!onDisk.has(e.path)) {
      missing.push(e.path);
      continue;
    }
    const actual = await sha256File(join(folder, e.path));
    if (actual.bytes !== e.size || actual.sha256 !== e.sha256) {
      altered.push({ path: e.path, expected: { size: e.size, sha256: e.sha256 }, actual: { size: actual.bytes, sha256: actual.sha256 } });
    }
  }
  const ok =
    manifestIntact &&
    badLines.length === 0 &&
    added.length === 0 &&
    missing.length === 0 &&
    altered.length === 0 &&
    (options.key === undefined ? true : signature === 'valid');
  return { ok, folder, files: entries.size, manifestIntact, signature, added, missing, altered, badLines };
}

/** Every file under `folder`, relative and `/`-separated, without the manifest files and the resume state. */
export async function listFiles(folder: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  const dirents = await fsPromises().readdir(rel ? join(folder, rel) : folder, { withFileTypes: true });
  for (const d of dirents) {
    const path = rel ? `${rel}/${d.name}` : d.name;
    if (!rel && (d.name === STATE_DIR || NOT_HELD.has(d.name))) continue;
    if (d.isDirectory()) out.push(...(await listFiles(folder, path)));
    else out.push(path);
  }
  return out;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await fsPromises().readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A relative, `/`-separated path that stays inside the folder: no absolute path, `..`, `.`, backslash or NUL. */
function isInside(path: string): boolean {
  if (path === '' || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\') || path.includes('\u0000')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/{2,}/g, '/');
}
