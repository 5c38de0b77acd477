import * as z from 'zod';

/**
 * Field schemas that many of the SDK's schemas repeat. Functions rather than shared instances: a schema built at
 * import is paid for by every program, used or not (test/internal/import-builds-no-schemas.test.ts).
 */
export const str = () => z.string();
export const num = () => z.number();
export const positiveInt = () => z.number().int().positive();
export const nonNegInt = () => z.number().int().nonnegative();
