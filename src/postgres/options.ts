/** `createPostgresWarehouse` options: checked (every problem at once, named), and where they point, without secrets. */
import { ValidationError } from '../errors';
import { isClock, systemClock, type Clock } from '../internal/clock';
import { quote } from './checker';
import type { PgPoolLike, PGliteLike } from './driver';
import { describeConnection } from './errors';
import type { PostgresWarehouseOptions } from './types';

const WHERE = 'createPostgresWarehouse options';
const OPTION_KEYS = ['connectionString', 'pool', 'pglite', 'schema', 'clock', 'conflictRetries'];
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const DEFAULT_PGLITE_DIR = '.gc-data/warehouse';
/** `conflictRetries` when not given (types.ts PostgresWarehouseOptions). */
export const DEFAULT_CONFLICT_RETRIES = 3;
const MAX_CONFLICT_RETRIES = 10;

export type Source = { kind: 'pg'; connectionString?: string; pool?: PgPoolLike } | { kind: 'pglite'; dataDir?: string; instance?: PGliteLike };

export function parseWarehouseOptions(options: PostgresWarehouseOptions | undefined): { source: Source; schema: string; target: string; clock: Clock; conflictRetries: number } {
  const o = (options === undefined ? {} : options) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ValidationError(WHERE, [{ path: '', message: 'must be an object' }]);
  const issues: Array<{ path: string; message: string }> = [];
  for (const k of Object.keys(o)) if (!OPTION_KEYS.includes(k)) issues.push({ path: k, message: `unknown option "${k}": options are ${OPTION_KEYS.join(', ')}` });
  const given = ['connectionString', 'pool', 'pglite'].filter((k) => o[k] !== undefined);
  if (given.length > 1) issues.push({ path: given[1] as string, message: `give one of connectionString, pool or pglite, not ${given.join(' and ')}` });
  if (o.connectionString !== undefined && (typeof o.connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(o.connectionString))) {
    issues.push({ path: 'connectionString', message: 'must be a postgres:// or postgresql:// URL' });
  }
  if (o.pool !== undefined && typeof (o.pool as { connect?: unknown })?.connect !== 'function') issues.push({ path: 'pool', message: 'must be a pg.Pool (with connect())' });
  if (o.pglite !== undefined && typeof o.pglite !== 'string' && typeof (o.pglite as { transaction?: unknown })?.transaction !== 'function') {
    issues.push({ path: 'pglite', message: 'must be a data folder, "memory://", or a PGlite instance' });
  }
  if (typeof o.pglite === 'string' && o.pglite.length === 0) issues.push({ path: 'pglite', message: 'must not be empty: a data folder or "memory://"' });
  const schema = o.schema ?? 'public';
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    issues.push({ path: 'schema', message: `must be lowercase letters, digits and _ (at most 63, not starting with a digit), got ${quote(schema)}` });
  }
  if (o.clock !== undefined && !isClock(o.clock)) issues.push({ path: 'clock', message: `must be a Clock with now(), sleep() and random() (e.g. client.clock), got ${quote(o.clock)}` });
  const conflictRetries = o.conflictRetries ?? DEFAULT_CONFLICT_RETRIES;
  if (typeof conflictRetries !== 'number' || !Number.isInteger(conflictRetries) || conflictRetries < 0 || conflictRetries > MAX_CONFLICT_RETRIES) {
    issues.push({ path: 'conflictRetries', message: `must be a whole number from 0 to ${MAX_CONFLICT_RETRIES}, got ${quote(conflictRetries)}` });
  }
  if (issues.length) throw new ValidationError(WHERE, issues);
  let source: Source;
  let target: string;
  if (o.connectionString !== undefined) {
    source = { kind: 'pg', connectionString: o.connectionString as string };
    target = describeConnection(o.connectionString as string);
  } else if (o.pool !== undefined) {
    source = { kind: 'pg', pool: o.pool as PgPoolLike };
    target = 'postgres (given pool)';
  } else if (typeof o.pglite === 'object') {
    source = { kind: 'pglite', instance: o.pglite as PGliteLike };
    target = 'pglite (given instance)';
  } else {
    const dataDir = (o.pglite as string | undefined) ?? DEFAULT_PGLITE_DIR;
    source = { kind: 'pglite', dataDir };
    target = `pglite:${dataDir}`;
  }
  return { source, schema: schema as string, target, clock: (o.clock as Clock | undefined) ?? systemClock, conflictRetries: conflictRetries as number };
}
