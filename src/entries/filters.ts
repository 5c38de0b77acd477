/**
 * `@org/gc-data/filters`: build, validate, compile and evaluate filter trees (docs/filters.md). Pure: no client,
 * no I/O. The modules take the trees these build (`filters` / `filter` options).
 */
export { FilterBuilder, normalizeFilter, isAndNode, isOrNode, FILTER_OPS } from '../filters/builder';
export type { FilterNode, AndNode, OrNode, FilterCondition, FilterOp, FilterValue } from '../filters/builder';
export { validateFilterDepth, DEFAULT_MAX_FILTER_DEPTH } from '../filters/depth';
export type { FilterDepthResult } from '../filters/depth';
export { compileFilter } from '../filters/compile';
export type { CompiledFilter, CompileFilterOptions, ResidualFilter, DetailQueryRange } from '../filters/compile';
export { evaluateFilter, applyResidual, createFilterMatcher } from '../filters/evaluate';
export type { AnalyticsConversationLike, EvaluateOptions, FilterMatcher } from '../filters/evaluate';
export { FILTER_FIELDS, FIELD_LEVELS, lookupField, suggestFields } from '../filters/catalog';
export type { FilterField, FieldLevel, FieldKind, FieldType } from '../filters/catalog';
