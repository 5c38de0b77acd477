import { GcError } from '../errors';

export type PostgresWarehouseErrorReason =
  /** The optional peer dependency (pg, pg-copy-streams or @electric-sql/pglite) is not installed. */
  | 'missing-driver'
  /** The database's schema_version is newer than this SDK knows: an older SDK must not write to it. */
  | 'schema-too-new'
  /** The database refused a statement (connection, permission, constraint). The batch was rolled back. */
  | 'query-failed'
  /** The warehouse was closed. */
  | 'closed'
  /** The batch this one was to follow (`ApplyOptions.after`) failed: this one was rolled back. */
  | 'earlier-batch-failed'
  /**
   * The server rolled the transaction back for a deadlock (40P01) or a serialization failure (40001) on every attempt
   * (option `conflictRetries`); nothing of it was written. `code` is the last SQLSTATE.
   */
  | 'transaction-conflict';

/**
 * The PostgreSQL warehouse could not do what was asked. Nothing of the failed batch was written (each batch is one
 * transaction). `target` names the database without credentials (`postgres://host:port/db` or `pglite:<dir>`).
 */
export class PostgresWarehouseError extends GcError {
  override readonly name: string = 'PostgresWarehouseError';
  readonly reason: PostgresWarehouseErrorReason;
  readonly target: string;
  /** The server's SQLSTATE (e.g. `42501` permission denied), when the server sent one. */
  readonly code: string | undefined;

  constructor(message: string, init: { reason: PostgresWarehouseErrorReason; target: string; code?: string | undefined; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.target = init.target;
    this.code = init.code;
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, reason: this.reason, target: this.target, code: this.code };
  }
}

/** `postgres://host:port/db` without user or password. */
export function describeConnection(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'postgres (unparseable connection string)';
  }
}

/** Error text without anything that could be a credential. */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\/\/[^@/\s]*@/g, '//').replace(/password=\S+/gi, 'password=***');
}
