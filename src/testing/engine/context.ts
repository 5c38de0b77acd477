/**
 * What route handlers may use. Routes depend on this interface, not on the org class, so each route file stays a
 * small set of pure-ish functions over shared state.
 */
import type { TokenRegistry } from './auth';
import type { AttributeStore } from '../state/customattributes-store';
import type { Dataset } from '../data/dataset';
import type { Faults } from '../faults/faults';
import type { JobStore } from '../state/jobs';
import type { MediaStore } from '../state/media-store';
import type { ResolvedOptions } from './options';
import type { QueryEngine } from '../oracle/query';
import type { SimStats } from './stats';

export interface OrgCore {
  readonly options: ResolvedOptions;
  readonly data: Dataset;
  readonly queries: QueryEngine;
  readonly jobs: JobStore;
  readonly media: MediaStore;
  readonly attributes: AttributeStore;
  readonly faults: Faults;
  readonly stats: SimStats;
  readonly tokens: TokenRegistry;
  now(): number;
  /** Data before this time (epoch ms) is in the datalake. */
  dataAvailabilityDate(): number;
}

export interface RouteContext {
  org: OrgCore;
  request: Request;
  url: URL;
  params: Record<string, string>;
  now: number;
}

export type RouteHandler = (ctx: RouteContext) => Response | Promise<Response>;

export interface RouteDef {
  method: string;
  /** Template with `{param}` segments; also the route's name in stats. */
  path: string;
  handler: RouteHandler;
}
