/**
 * Where access tokens live between requests. The default keeps them in memory for one client; a shared store
 * (e.g. `RedisTokenStore` from `@org/gc-data/redis`) lets several clients or processes reuse one token instead of
 * each minting its own (the token endpoint is rate-limited too). A store holds a secret: protect it like one.
 */
import { expected, refuse } from '../internal/parse-options';

export interface StoredToken {
  accessToken: string;
  /** Epoch ms when the platform stops accepting it. */
  expiresAt: number;
  /** Epoch ms when it was minted (refresh-ahead is at most half its lifetime). */
  issuedAt: number;
}

export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  /** Removes the token only if it is still `accessToken` (another worker may already have replaced it). */
  delete(key: string, accessToken: string): Promise<void>;
  /**
   * Optional cross-process lock around a refresh: returns a release function, or undefined when another holder
   * has it (then the caller waits and re-reads the store). In-process callers are already single-flighted.
   */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

const WHERE = 'MemoryTokenStore arguments';

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw refuse(WHERE, 'key', expected('a non-empty string', key));
}

/** Per-client, in-memory store (the default). */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  async get(key: string): Promise<StoredToken | undefined> {
    checkKey(key);
    return this.tokens.get(key);
  }
  async set(key: string, token: StoredToken): Promise<void> {
    checkKey(key);
    if (typeof token !== 'object' || token === null) throw refuse(WHERE, 'token', expected('a token { accessToken, expiresAt, issuedAt }', token));
    if (typeof token.accessToken !== 'string' || token.accessToken === '') throw refuse(WHERE, 'token.accessToken', expected('a non-empty string', token.accessToken));
    if (!Number.isFinite(token.expiresAt)) throw refuse(WHERE, 'token.expiresAt', expected('epoch ms', token.expiresAt));
    this.tokens.set(key, token);
  }
  async delete(key: string, accessToken: string): Promise<void> {
    checkKey(key);
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }
}
