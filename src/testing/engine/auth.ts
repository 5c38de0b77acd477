/**
 * Access tokens of the client-credentials flow: issue, verify, expire. Tokens live in memory with their expiry
 * and their own rate-limit bucket (the platform limits per token).
 */
import type { RateLimitOptions } from './options';
import { TokenBucket } from '../faults/rate-limit';
import { hash32 } from '../data/rng';
import { STREAM } from '../data/streams';

export interface IssuedToken {
  token: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  bucket: TokenBucket | undefined;
}

export type TokenCheck =
  | { ok: true; token: IssuedToken }
  | { ok: false; code: 'authentication.required' | 'bad.credentials'; message: string };

export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  private issued = 0;
  private generation = 0;

  constructor(
    private readonly seed: number,
    private readonly ttlSeconds: number,
    private readonly rateLimit: RateLimitOptions | false,
  ) {}

  issue(clientId: string, now: number): IssuedToken {
    const n = this.issued++;
    const parts = [1, 2, 3, 4].map((k) => hash32(this.seed, STREAM.tokens, this.generation, n, k).toString(36));
    const token: IssuedToken = {
      token: `sim_${parts.join('')}`,
      clientId,
      issuedAt: now,
      expiresAt: now + this.ttlSeconds * 1000,
      bucket: this.rateLimit ? new TokenBucket(this.rateLimit, now) : undefined,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /** Checks an `Authorization` header. Missing and invalid tokens are told apart like the platform does. */
  verify(header: string | null, now: number): TokenCheck {
    const m = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m?.[1]) return { ok: false, code: 'authentication.required', message: 'No authentication bearer token specified in authorization header.' };
    const t = this.tokens.get(m[1]);
    if (!t || now >= t.expiresAt) return { ok: false, code: 'bad.credentials', message: 'Invalid login credentials.' };
    return { ok: true, token: t };
  }

  /**
   * The org's clock jumped forward (`advance()`): live tokens keep the lifetime they had left, as they would in real
   * time (a client's token minted a second ago does not expire because the simulation skipped three days).
   */
  shift(ms: number, before: number): void {
    for (const t of this.tokens.values()) {
      if (t.expiresAt > before) {
        t.issuedAt += ms;
        t.expiresAt += ms;
      }
    }
  }

  /** Makes every issued token invalid from now on; returns how many were live. */
  expireAll(now: number): number {
    let live = 0;
    for (const t of this.tokens.values()) {
      if (t.expiresAt > now) live++;
      t.expiresAt = Math.min(t.expiresAt, now);
    }
    return live;
  }

  clear(): void {
    this.tokens.clear();
    this.generation++;
  }

  get size(): number {
    return this.tokens.size;
  }
}

/** Decodes `Authorization: Basic base64(id:secret)`. */
export function parseBasic(header: string | null): { id: string; secret: string } | undefined {
  const m = header ? /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
