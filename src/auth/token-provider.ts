import * as z from 'zod';
import type { EventEmitter } from 'eventemitter3';
import { AuthenticationError, ApiError } from '../errors';
import { decode, parseJson } from '../transport/decode';
import type { GcEventMap } from '../events';
import type { AuthSource, RawResponse, SendOptions } from '../transport/transport';
import { systemClock, type Clock } from '../internal/clock';
import type { Redactor } from '../transport/redact';
import type { StoredToken, TokenStore } from './token-store';
import { lazySchema } from '../internal/lazy-schema';

export interface TokenProviderOptions {
  clientId: string;
  clientSecret: string;
  authBaseUrl: string;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 300,000 ms (docs/design-intent.md seed 002). */
  refreshAheadMs: number;
  store: TokenStore;
  /** Freshness, expiry and the waits between mints are measured on this clock (the client's). Default the system clock. */
  clock?: Clock | undefined;
}

const TokenResponse = lazySchema(() =>
  z.object({ access_token: z.string().min(1), expires_in: z.number().positive() }),
);

/** Lock wait while another process refreshes a shared token. */
const LOCK_TTL_MS = 30_000;
const LOCK_POLL_MS = 200;
/**
 * The floor between a mint and the next mint that a 401 asks for: however a server answers, this client mints at
 * most one token per second after refusals (a 401/503 storm minted 21 tokens in 1.9 s before).
 */
export const MIN_REMINT_INTERVAL_MS = 1_000;

/**
 * OAuth client credentials as the platform takes them: `POST {authBaseUrl}/oauth/token` with a Basic header and
 * the form body `grant_type=client_credentials` (docs/platform-notes.md section a). Tokens are cached, refreshed ahead of
 * expiry, and minted by one call at a time however many requests are waiting.
 */
export class TokenProvider implements AuthSource {
  readonly #secret: string;
  readonly #clientId: string;
  private inflight: Promise<StoredToken> | undefined;
  private current: StoredToken | undefined;
  private readonly storeKey: string;
  /** The token this provider minted to replace one the platform refused (a 401), while it is the current one. */
  #replacement: string | undefined;
  #lastMintAt: number | undefined;
  #afterRefusal = false;
  readonly #clock: Clock;

  constructor(
    private readonly options: Omit<TokenProviderOptions, 'clientSecret' | 'clientId'> & { clientId: string },
    clientSecret: string,
    private readonly send: (o: SendOptions) => Promise<RawResponse>,
    private readonly events: EventEmitter<GcEventMap>,
    private readonly redactor: Redactor,
  ) {
    this.#secret = clientSecret;
    this.#clientId = options.clientId;
    this.#clock = options.clock ?? systemClock;
    this.storeKey = `gc-data:token:${options.authBaseUrl}:${options.clientId}`;
    redactor.addSecret(clientSecret);
    redactor.addSecret(this.basicCredential());
  }

  private basicCredential(): string {
    return Buffer.from(`${this.#clientId}:${this.#secret}`).toString('base64');
  }

  /** ISO-8601 UTC expiry of the token in use, if there is one. */
  currentExpiry(): string | undefined {
    return this.current ? iso(this.current.expiresAt) : undefined;
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    if (this.current && this.isFresh(this.current)) return this.current.accessToken;
    this.inflight ??= this.obtain(signal).finally(() => {
      this.inflight = undefined;
    });
    return (await this.inflight).accessToken;
  }

  /**
   * A 401 for `token`. A token minted to replace a refused one and refused again before half its lifetime has
   * passed did not expire: the platform refuses this client, and another mint would only feed a 401 storm, so the
   * answer is `false` (the transport then fails with an AuthenticationError). Otherwise the token is dropped and the
   * next call mints (or takes from the store) another.
   */
  async invalidate(token: string): Promise<boolean> {
    const t = this.current;
    if (t?.accessToken === token && this.#replacement === token && this.#clock.now() - t.issuedAt < (t.expiresAt - t.issuedAt) / 2) {
      return false;
    }
    if (t?.accessToken === token) {
      this.events.emit('token', { kind: 'invalidated', expiresAt: iso(t.expiresAt), reason: 'the platform answered 401' });
      this.current = undefined;
      this.#afterRefusal = true;
    }
    await this.options.store.delete(this.storeKey, token);
    return true;
  }

  private isFresh(t: StoredToken, now = this.#clock.now()): boolean {
    const margin = Math.min(this.options.refreshAheadMs, (t.expiresAt - t.issuedAt) / 2);
    return now < t.expiresAt - margin;
  }

  private async obtain(signal: AbortSignal | undefined): Promise<StoredToken> {
    const store = this.options.store;
    for (;;) {
      const shared = await store.get(this.storeKey);
      if (shared && this.isFresh(shared) && shared.accessToken !== this.current?.accessToken) {
        this.redactor.addToken(shared.accessToken);
        this.current = shared;
        this.events.emit('token', { kind: 'reused', expiresAt: iso(shared.expiresAt), reason: 'taken from the token store' });
        return shared;
      }
      const release = store.lock ? await store.lock(this.storeKey, LOCK_TTL_MS) : async () => {};
      if (!release) {
        // Another process is minting; wait for it to publish rather than minting a second token.
        await this.#clock.sleep(LOCK_POLL_MS, signal);
        continue;
      }
      try {
        const again = store.lock ? await store.get(this.storeKey) : undefined;
        if (again && this.isFresh(again) && again.accessToken !== this.current?.accessToken) {
          this.redactor.addToken(again.accessToken);
          this.current = again;
          return again;
        }
        const afterRefusal = this.#afterRefusal;
        const reason = afterRefusal ? 'after a 401' : this.current ? 'refresh ahead of expiry' : 'first use';
        if (afterRefusal && this.#lastMintAt !== undefined) {
          await this.#clock.sleep(this.#lastMintAt + MIN_REMINT_INTERVAL_MS - this.#clock.now(), signal);
        }
        const token = await this.mint(signal);
        this.#lastMintAt = this.#clock.now();
        this.#afterRefusal = false;
        this.redactor.addToken(token.accessToken);
        this.#replacement = afterRefusal ? token.accessToken : undefined;
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
    const basic = this.basicCredential();
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
    const ctx = { method: 'POST', path: `${this.options.authBaseUrl}${path}`, status: res.status };
    const token = decode(parseJson(res.text, ctx), TokenResponse, ctx);
    const issuedAt = this.#clock.now();
    return { accessToken: token.access_token, issuedAt, expiresAt: issuedAt + token.expires_in * 1000 };
  }
}


function iso(ms: number): string {
  return new Date(ms).toISOString();
}
