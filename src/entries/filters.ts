/**
 * `@org/gc-data/filters`: build, validate, compile and evaluate filter trees (docs/filters.md). Pure: no client,
 * no I/O. The modules take the trees these build (`filters` / `filter` options).
 */
export { FilterBuilder, normalizeFilter, isAndNode, isOrNode, FILTER_OPS } from '../helpers/filter-builder';
export type { FilterNode, AndNode, OrNode, FilterCondition, FilterOp, FilterValue } from '../helpers/filter-builder';
export { validateFilterDepth, DEFAULT_MAX_FILTER_DEPTH } from '../helpers/filter-depth';
export type { FilterDepthResult } from '../helpers/filter-depth';
export { compileFilter } from '../helpers/filter-compile';
export type { CompiledFilter, CompileFilterOptions, ResidualFilter, DetailQueryRange } from '../helpers/filter-compile';
export { evaluateFilter, applyResidual, createFilterMatcher } from '../helpers/filter-evaluate';
export type { AnalyticsConversationLike, EvaluateOptions, FilterMatcher } from '../helpers/filter-evaluate';
export { FILTER_FIELDS, FIELD_LEVELS, lookupField, suggestFields } from '../helpers/filter-catalog';
export type { FilterField, FieldLevel, FieldKind, FieldType } from '../helpers/filter-catalog';
