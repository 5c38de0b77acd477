/**
 * `@org/gc-data/batch-callbacks`: for a service that receives InteractionSearch's signed batch callbacks:
 * `verifyBatchSignature` and the header names (docs/search.md).
 */
export { verifyBatchSignature, signBatch, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER, ATTEMPT_HEADER, DEFAULT_SIGNATURE_MAX_AGE_SECONDS } from '../search/batch-callback';
export type { VerifyBatchSignatureOptions } from '../search/batch-callback';
