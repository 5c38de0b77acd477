/**
 * Response helpers. Error bodies follow the platform's `ErrorBody` (docs/platform-notes.md section h): message, code,
 * status, contextId (= the ININ-Correlation-Id of the response), details, errors.
 */
import type { SimErrorBody } from '../data/types';

/** Returned by `SimulatedOrg.handle` to mean "drop the connection without answering". */
export const RESET: unique symbol = Symbol('gc-data.simulator.reset');
export type HandleResult = Response | typeof RESET;

/** Thrown by route handlers; the org turns it into an ErrorBody response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: SimErrorBody['details'] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fieldName?: string): ApiProblem =>
  new ApiProblem(400, 'bad.request', message, fieldName ? [{ errorCode: 'bad.request', fieldName }] : []);
export const notFound = (message: string): ApiProblem => new ApiProblem(404, 'not.found', message);
export const conflict = (message: string): ApiProblem => new ApiProblem(409, 'conflict', message);

export function errorBody(status: number, code: string, message: string, contextId: string, details: SimErrorBody['details'] = []): SimErrorBody {
  return { message, code, status, contextId, details, errors: [] };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** Parses a JSON request body; a malformed or missing body is a 400 like the platform's. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') throw badRequest('A request body is required.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body could not be parsed as JSON.');
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
