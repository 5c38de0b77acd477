// The LegalHold module is not in the root export list yet (src/index.ts is the lead's): the tests take it from its
// folder through this one file. Once '@org/gc-data' exports it, this becomes `export * from '@org/gc-data'`.
export * from '../../src/legal-hold/index';
