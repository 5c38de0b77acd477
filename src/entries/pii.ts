/** `@org/gc-data/pii`: find and redact personal data in free text (docs/pii.md). Pure: no client, no I/O. */
export { scanPii, containsPii, redactPii, luhnValid, PII_TYPES } from '../pii/pii';
export type { PiiType, PiiFinding, ScanPiiOptions, RedactPiiOptions, PiiMask } from '../pii/pii';
