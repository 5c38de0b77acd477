/**
 * Where access tokens live between requests. The default keeps them in memory for one client; a shared store
 * (e.g. `RedisTokenStore` from `@org/gc-data/redis`) lets several clients or processes reuse one token instead of
 * each minting its own (the token endpoint is rate-limited too). A store holds a secret: protect it like one.
 */
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

/** Per-client, in-memory store (the default). */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  async get(key: string): Promise<StoredToken | undefined> {
    return this.tokens.get(key);
  }
  async set(key: string, token: StoredToken): Promise<void> {
    this.tokens.set(key, token);
  }
  async delete(key: string, accessToken: string): Promise<void> {
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }
}
