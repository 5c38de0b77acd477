/**
 * The second origin of the simulated org: a node:http server on 127.0.0.1 serving recording bytes under the
 * pre-signed URLs the batch download jobs hand out (`resultUrl`), like the object store behind the real platform.
 * No bearer token is needed or looked at: the URL's signature and expiry are the credential. Every request's
 * method, path and headers are recorded, so a test can prove that no `Authorization` header ever reached it.
 *
 * - `Range: bytes=N-` (and `N-M`) answers 206 with `Content-Range` unless `range: false` (then 200, whole file).
 * - Faults: `dropAfterBytes` (the connection is destroyed after that many body bytes of a response, `times` responses
 *   in a row), `failStatus` (answer that status `times` times, with `Retry-After` when given).
 */
import { parseOptions } from '../../internal/parse-options';
import { checkOrg, recordingFilesOptionsSchema, SimulatorOptionsError } from '../engine/options';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPresigned, configureLegalHoldSim, legalHoldSim, recordingBytes, recordingSize, CONTENT_TYPE } from '../state/legal-hold-sim';
import type { OrgCore } from '../engine/context';

export interface RecordingFilesFaults {
  /** Destroy the connection after this many body bytes of a response. */
  dropAfterBytes?: { bytes: number; times: number } | null;
  /** Answer this status (no body) `times` times. */
  failStatus?: { status: number; times: number; retryAfterSeconds?: number } | null;
}

export interface RecordingFilesServerOptions {
  org: OrgCore;
  /** Honour `Range` requests (206). Default true. */
  range?: boolean;
  faults?: RecordingFilesFaults;
  /** Default 0: any free port. */
  port?: number;
  /** Do not keep the process alive for this server (the org's own, started on demand, is unref'd). */
  unref?: boolean;
}

export interface RecordedFileRequest {
  method: string;
  /** Path without the query (which carries the signature). */
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
  /** Body bytes written (before a drop). */
  bytes: number;
}

export interface RecordingFilesServer {
  url: string;
  /** Every request received, in order. */
  requests: RecordedFileRequest[];
  /** Body bytes served so far. */
  bytesServed(): number;
  setFaults(faults: RecordingFilesFaults): void;
  setRange(on: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts the files origin and points the org's batch jobs at it (their `resultUrl`s use this server's URL).
 * Without one, the org starts its own on the first batch job (see `ensureFilesOrigin`).
 */
export async function startRecordingFilesServer(options: RecordingFilesServerOptions): Promise<RecordingFilesServer> {
  parseOptions(recordingFilesOptionsSchema, options, 'startRecordingFilesServer options', { error: SimulatorOptionsError });
  checkOrg(options.org, 'startRecordingFilesServer options');
  const { org } = options;
  let range = options.range ?? true;
  const faults: Required<RecordingFilesFaults> = { dropAfterBytes: null, failStatus: null, ...options.faults };
  const requests: RecordedFileRequest[] = [];
  let served = 0;
  const server = createServer((req, res) => {
    const entry: RecordedFileRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', headers: { ...req.headers }, status: 0, bytes: 0 };
    requests.push(entry);
    const finish = (status: number, headers: Record<string, string>, body = '') => {
      entry.status = status;
      res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return finish(405, { allow: 'GET, HEAD' });
    if (faults.failStatus && faults.failStatus.times > 0) {
      faults.failStatus.times--;
      const ra = faults.failStatus.retryAfterSeconds;
      return finish(faults.failStatus.status, ra !== undefined ? { 'retry-after': String(ra) } : {});
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const check = checkPresigned(org, url);
    if (!check.ok) return finish(check.status, { 'content-type': 'application/xml' }, `<Error><Code>${check.message}</Code></Error>`);
    const size = recordingSize(org, check.c, check.r);
    let start = 0;
    let end = size;
    let status = 200;
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE[check.r.media], 'accept-ranges': range ? 'bytes' : 'none', etag: `"${check.r.id}-${size}"` };
    const rangeHeader = req.headers.range;
    if (range && rangeHeader) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader.trim());
      const s = m ? Number(m[1]) : NaN;
      const e = m && m[2] ? Number(m[2]) + 1 : size;
      if (!m || s >= size || e <= s) return finish(416, { 'content-range': `bytes */${size}` });
      start = s;
      end = Math.min(e, size);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
    }
    headers['content-length'] = String(end - start);
    entry.status = status;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return void res.end();
    let dropAt = Infinity;
    if (faults.dropAfterBytes && faults.dropAfterBytes.times > 0) {
      faults.dropAfterBytes.times--;
      dropAt = faults.dropAfterBytes.bytes;
    }
    const chunks = recordingBytes(org, check.r.id, start, end);
    const pump = () => {
      for (;;) {
        if (res.destroyed) return;
        const next = chunks.next();
        if (next.done) return void res.end();
        let chunk = next.value;
        if (entry.bytes + chunk.length > dropAt) chunk = chunk.subarray(0, Math.max(0, dropAt - entry.bytes));
        entry.bytes += chunk.length;
        served += chunk.length;
        if (entry.bytes >= dropAt) {
          // The bytes so far reach the client, then the connection closes mid-body (FIN after the data, not a reset
          // that could discard it): the client holds exactly `dropAfterBytes` bytes of this response.
          res.write(chunk, () => res.socket?.end());
          return;
        }
        const more = res.write(chunk);
        if (!more) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (options.unref) server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configureLegalHoldSim(org, { filesBaseUrl: url });
  return {
    url,
    requests,
    bytesServed: () => served,
    setFaults(f) {
      if (f.dropAfterBytes !== undefined) faults.dropAfterBytes = f.dropAfterBytes ? { ...f.dropAfterBytes } : null;
      if (f.failStatus !== undefined) faults.failStatus = f.failStatus ? { ...f.failStatus } : null;
    },
    setRange(on) {
      range = on;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const started = new WeakMap<OrgCore, Promise<string>>();

/**
 * The files origin of `org`: the one configured (startRecordingFilesServer), or one started on first use, unref'd,
 * so the CLI, examples and `gc-data simulate` get working `resultUrl`s with no setup. Tests that inspect the
 * download requests start their own.
 */
export function ensureFilesOrigin(org: OrgCore): Promise<string> {
  const configured = legalHoldSim(org).options.filesBaseUrl;
  if (configured) return Promise.resolve(configured);
  let p = started.get(org);
  if (!p) {
    p = startRecordingFilesServer({ org, unref: true }).then((s) => s.url);
    started.set(org, p);
  }
  return p;
}
