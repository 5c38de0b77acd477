import { GcError } from '../errors';

export type RedisUnavailableReason = 'connect-timeout' | 'connection-lost' | 'command-failed' | 'closed' | 'missing-ioredis';

/**
 * The shared limits (rate limiter or token store) could not reach Redis and `fallback` is `error`: the request was
 * not sent, so running it unpaced alongside the other workers cannot happen. `target` never carries a password.
 */
export class RedisUnavailableError extends GcError {
  override readonly name: string = 'RedisUnavailableError';
  readonly reason: RedisUnavailableReason;
  /** `redis://host:port/db`, credentials removed. */
  readonly target: string;

  constructor(message: string, init: { reason: RedisUnavailableReason; target: string; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.target = init.target;
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, reason: this.reason, target: this.target };
  }
}

/** `redis://host:port/db` without user or password, for messages and warnings. */
export function describeTarget(url: string | undefined, client?: unknown): string {
  if (url) {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
    } catch {
      return 'redis (unparseable url)';
    }
  }
  const o = (client as { options?: { host?: string; port?: number; db?: number } } | undefined)?.options;
  return o?.host ? `redis://${o.host}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}` : 'redis (given client)';
}

/** Error text without anything that could be a credential (ioredis messages carry host:port at most). */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\/\/[^@/\s]*@/g, '//');
}
