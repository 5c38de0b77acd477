/**
 * The analytics module's schemas, by job: wire.ts (response and request shapes of the conversation detail
 * endpoints), report-options.ts (options of ReportQueries, jobs and extract), checkpoint-state.ts (the extract
 * checkpoint). Re-exported here so modules import one place.
 */
export * from './wire';
export * from './report-options';
export * from './checkpoint-state';
