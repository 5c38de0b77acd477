/**
 * node:crypto, loaded on first use. A static import loads it in every process that requires the SDK (~3 ms of a
 * cold start, bench/footprint), for hashing, signing and temp-file names that most runs never reach.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
