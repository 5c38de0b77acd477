import type { GcEventMap, GcEventName } from './events';
import type { Telemetry } from './telemetry/telemetry';

/**
 * Any logger with these four methods: `console`, winston and pino loggers fit as they are (pino takes the message
 * and drops the fields object unless wired as in docs/observability.md). Each call gets a one-line message that
 * stands alone, then the event's fields.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Counters a progress display or a test can read at any time (`client.stats()` adds the limiter's). */
export interface RequestCounters {
  requests: number;
  responses: number;
  retries: number;
  /** 429s received (and waited out or failed). */
  rateLimited: number;
  /** Times the client held requests because the headers said the budget was spent (no 429 earned). */
  paced: number;
  tokensIssued: number;
  byStatus: Record<number, number>;
}

type Payload<K extends GcEventName> = Parameters<GcEventMap[K]>[0];

/**
 * Sees every event the client emits, before its listeners: counts them for `client.stats()` (so removing listeners
 * cannot change the counts), writes them to the `logger` option and feeds the telemetry metrics. Events carry no secret (src/events.ts), so
 * neither do log lines.
 */
export class ClientObserver {
  readonly counters: RequestCounters = { requests: 0, responses: 0, retries: 0, rateLimited: 0, paced: 0, tokensIssued: 0, byStatus: {} };

  constructor(
    private readonly logger: Logger | undefined,
    private readonly telemetry: Telemetry,
  ) {}

  observe<K extends GcEventName>(name: K, payload: Payload<K>): void {
    this.count(name, payload);
    if (this.logger) this.log(this.logger, name, payload);
    if (this.telemetry.enabled) this.telemetry.record(name, payload);
  }

  private count<K extends GcEventName>(name: K, payload: Payload<K>): void {
    const c = this.counters;
    if (name === 'request') c.requests++;
    else if (name === 'response') {
      const e = payload as Payload<'response'>;
      c.responses++;
      c.byStatus[e.status] = (c.byStatus[e.status] ?? 0) + 1;
      if (e.status === 429) c.rateLimited++;
    } else if (name === 'retry') c.retries++;
    else if (name === 'rateLimit' && (payload as Payload<'rateLimit'>).kind === 'exhausted') c.paced++;
    else if (name === 'token' && (payload as Payload<'token'>).kind === 'issued') c.tokensIssued++;
  }

  private log<K extends GcEventName>(logger: Logger, name: K, payload: Payload<K>): void {
    const fields = { event: name, ...(payload as object) };
    try {
      switch (name) {
        case 'request': {
          const e = payload as Payload<'request'>;
          logger.debug(`gc-data: ${e.method} ${e.path} (attempt ${e.attempt})`, fields);
          break;
        }
        case 'response': {
          const e = payload as Payload<'response'>;
          logger.debug(`gc-data: ${e.method} ${e.path} -> ${e.status} in ${e.latencyMs} ms`, fields);
          break;
        }
        case 'retry': {
          const e = payload as Payload<'retry'>;
          const why = e.reason === 'status' ? `status ${e.status}` : e.reason;
          logger.info(`gc-data: retrying ${e.method} ${e.path} after ${why} (attempt ${e.attempt}) in ${e.delayMs} ms${corr(e.correlationId)}`, fields);
          break;
        }
        case 'rateLimit': {
          const e = payload as Payload<'rateLimit'>;
          const what = e.kind === 'retry-after' ? `429 from ${e.method} ${e.path}` : 'the rate-limit budget is spent';
          logger.info(`gc-data: waiting ${Math.ceil(e.pausedForMs / 1000)} s for the rate limit (${what})${corr(e.correlationId)}`, fields);
          break;
        }
        case 'token': {
          const e = payload as Payload<'token'>;
          (e.kind === 'invalidated' ? logger.info : logger.debug).call(logger, `gc-data: token ${e.kind} (${e.reason}), expires ${e.expiresAt ?? 'unknown'}`, fields);
          break;
        }
        case 'warning': {
          const e = payload as Payload<'warning'>;
          logger.warn(`gc-data: ${e.message}`, fields);
          break;
        }
        case 'progress':
          logger.debug(`gc-data: progress of ${(payload as Payload<'progress'>).operation}`, fields);
          break;
      }
    } catch {
      // A logger that throws must not break the request that is being logged.
    }
  }
}

function corr(id: string | undefined): string {
  return id ? ` (correlation id ${id})` : '';
}
