// Public exports only. Modules and helpers are added here as they land.
export { GenesysClient, SDK_VERSION } from './client';
export type { RequestOptions, ApiResponse, ClientStats } from './client';
export type { GenesysClientOptions } from './client-options';
export * from './errors';
export type * from './events';
export { REGION_HOSTS, resolveRegion } from './regions';
export type { RegionKey, RegionHost, ResolvedRegion } from './regions';
export { MemoryTokenStore } from './auth/token-store';
export type { TokenStore, StoredToken } from './auth/token-store';
export { LocalRateLimiter } from './transport/rate-limiter';
export type { RateLimiter, RateLimiterStats, ScheduleOptions, LocalRateLimiterOptions } from './transport/rate-limiter';
export { DEFAULT_RETRY, classify, computeDelay, parseRetryAfter, RetryBudget } from './transport/retry';
export type { RetryOptions, RetryBudgetOptions } from './transport/retry';
export { DEFAULT_RATE_LIMIT_HEADERS, parseRateLimitHeaders } from './transport/rate-limit-headers';
export type { RateLimitHeaderNames } from './transport/rate-limit-headers';
export { paginateByPageNumber, paginateByCursor, paginateByNextUri, itemsOf } from './transport/paginate';
export type { Page, PageGuardOptions } from './transport/paginate';
export type { HttpMethod, QueryParams, QueryValue } from './transport/transport';
