import * as z from 'zod';
import type { EventEmitter } from 'eventemitter3';
import { AuthenticationError, UnexpectedResponseError, ApiError } from '../errors';
import type { GcEventMap } from '../events';
import type { AuthSource, RawResponse, SendOptions } from '../transport/transport';
import { abortableSleep } from '../transport/sleep';
import type { StoredToken, TokenStore } from './token-store';
import { lazySchema } from '../internal/lazy-schema';

export interface TokenProviderOptions {
  clientId: string;
  clientSecret: string;
  authBaseUrl: string;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 300,000 ms (seed 002). */
  refreshAheadMs: number;
  store: TokenStore;
}

const TokenResponse = lazySchema(() =>
  z.object({ access_token: z.string().min(1), expires_in: z.number().positive() }),
);

/** Lock wait while another process refreshes a shared token. */
const LOCK_TTL_MS = 30_000;
const LOCK_POLL_MS = 200;

/**
 * OAuth client credentials as the platform takes them: `POST {authBaseUrl}/oauth/token` with a Basic header and
 * the form body `grant_type=client_credentials` (genesys-api.md section a). Tokens are cached, refreshed ahead of
 * expiry, and minted by one call at a time however many requests are waiting.
 */
export class TokenProvider implements AuthSource {
  readonly #secret: string;
  readonly #clientId: string;
  private inflight: Promise<StoredToken> | undefined;
  private current: StoredToken | undefined;
  private readonly storeKey: string;

  constructor(
    private readonly options: Omit<TokenProviderOptions, 'clientSecret' | 'clientId'> & { clientId: string },
    clientSecret: string,
    private readonly send: (o: SendOptions) => Promise<RawResponse>,
    private readonly events: EventEmitter<GcEventMap>,
  ) {
    this.#secret = clientSecret;
    this.#clientId = options.clientId;
    this.storeKey = `gc-data:token:${options.authBaseUrl}:${options.clientId}`;
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    if (this.current && this.isFresh(this.current)) return this.current.accessToken;
    this.inflight ??= this.obtain(signal).finally(() => {
      this.inflight = undefined;
    });
    return (await this.inflight).accessToken;
  }

  async invalidate(token: string): Promise<void> {
    if (this.current?.accessToken === token) {
      this.events.emit('token', { kind: 'invalidated', expiresAt: iso(this.current.expiresAt), reason: 'the platform answered 401' });
      this.current = undefined;
    }
    await this.options.store.delete(this.storeKey, token);
  }

  private isFresh(t: StoredToken, now = Date.now()): boolean {
    const margin = Math.min(this.options.refreshAheadMs, (t.expiresAt - t.issuedAt) / 2);
    return now < t.expiresAt - margin;
  }

  private async obtain(signal: AbortSignal | undefined): Promise<StoredToken> {
    const store = this.options.store;
    for (;;) {
      const shared = await store.get(this.storeKey);
      if (shared && this.isFresh(shared) && shared.accessToken !== this.current?.accessToken) {
        this.current = shared;
        this.events.emit('token', { kind: 'reused', expiresAt: iso(shared.expiresAt), reason: 'taken from the token store' });
        return shared;
      }
      const release = store.lock ? await store.lock(this.storeKey, LOCK_TTL_MS) : async () => {};
      if (!release) {
        // Another process is minting; wait for it to publish rather than minting a second token.
        await abortableSleep(LOCK_POLL_MS, signal);
        continue;
      }
      try {
        const again = store.lock ? await store.get(this.storeKey) : undefined;
        if (again && this.isFresh(again) && again.accessToken !== this.current?.accessToken) {
          this.current = again;
          return again;
        }
        const reason = this.current ? 'refresh ahead of expiry or after a 401' : 'first use';
        const token = await this.mint(signal);
        await store.set(this.storeKey, token);
        this.current = token;
        this.events.emit('token', { kind: 'issued', expiresAt: iso(token.expiresAt), reason });
        return token;
      } finally {
        await release();
      }
    }
  }

  private async mint(signal: AbortSignal | undefined): Promise<StoredToken> {
    const basic = Buffer.from(`${this.#clientId}:${this.#secret}`).toString('base64');
    const path = '/oauth/token';
    let res: RawResponse;
    try {
      res = await this.send({
        method: 'POST',
        path: `${this.options.authBaseUrl}${path}`,
        rawBody: { text: 'grant_type=client_credentials', contentType: 'application/x-www-form-urlencoded' },
        headers: { authorization: `Basic ${basic}` },
        // Minting a token twice is harmless, so 5xx/timeouts of the token endpoint are retried too.
        idempotent: true,
        auth: false,
        limited: false,
        signal,
      });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 400 || e.status === 401 || e.status === 403)) {
        throw new AuthenticationError(
          { status: e.status, body: e.body, correlationId: e.correlationId, method: 'POST', path, attempts: e.attempts },
          `The token endpoint refused the client credentials (${e.status}${e.code ? ` ${e.code}` : ''}): ` +
            'check clientId, clientSecret and that the region (or authUrl) is the one the OAuth client belongs to',
        );
      }
      throw e;
    }
    const parsed = TokenResponse.safeParse(safeJson(res.text));
    if (!parsed.success) {
      throw new UnexpectedResponseError({
        method: 'POST',
        path,
        status: res.status,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const issuedAt = Date.now();
    return { accessToken: parsed.data.access_token, issuedAt, expiresAt: issuedAt + parsed.data.expires_in * 1000 };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
