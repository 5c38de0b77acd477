/**
 * Secrets the transport knows (the client secret, its Basic credential, the current and recent access tokens),
 * removed from everything an error or event carries: a server that echoes the Authorization header in an error body
 * must not get the token printed in a message, `body`, `details`, `toJSON()` or the CLI's output.
 */
import type { PlatformErrorBody } from '../errors';

export const REDACTED = '[REDACTED]';

/** How many recent tokens stay known after they were replaced: a late echo of an old one is redacted too. */
const KEEP_TOKENS = 8;

export class Redactor {
  readonly #fixed = new Set<string>();
  readonly #tokens: string[] = [];

  /** A value that is secret for the client's whole life (client secret, Basic credential). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.#fixed.add(value);
  }

  /** An access token; the last few are kept. */
  addToken(value: string | undefined): void {
    if (!value || value.length < 4 || this.#tokens.includes(value)) return;
    this.#tokens.push(value);
    if (this.#tokens.length > KEEP_TOKENS) this.#tokens.shift();
  }

  /** `text` with every known secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    let out = text;
    for (const s of [...this.#fixed, ...this.#tokens]) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }

  /** A JSON-like value with every string redacted (parsed error bodies, header maps). */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T;
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.redactValue(v);
      return out as T;
    }
    return value;
  }

  /**
   * An error response's body as an error may carry it, secrets removed: parsed JSON when it is an object, else the
   * text (cut to 1,000 characters when it is not JSON); `undefined` when empty. A server may echo the Authorization
   * header or the Basic credential back (issue 16).
   */
  errorBody(text: string): PlatformErrorBody | string | undefined {
    return this.redactValue(parseErrorBody(text));
  }

  /** Response headers as a plain map with every value redacted (errors keep only the safe ones, errors.ts). */
  headers(headers: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    headers.forEach((v, k) => (out[k] = this.redact(v)));
    return out;
  }
}

function parseErrorBody(text: string): PlatformErrorBody | string | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as PlatformErrorBody) : text;
  } catch {
    return text.slice(0, 1000);
  }
}
