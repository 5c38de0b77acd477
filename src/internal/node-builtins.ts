/**
 * Node built-ins the SDK needs only on some paths, loaded on first use. A static import loads each in every process
 * that requires the SDK: node:crypto ~3 ms, node:fs/promises and node:stream/promises ~1-1.5 ms each (with the ~30
 * internal modules they pull in) of a cold start (bench/footprint), for hashing, signing and the file sinks that
 * many programs never reach.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

export function fsPromises(): typeof import('node:fs/promises') {
  return process.getBuiltinModule('node:fs/promises');
}

export function streamPromises(): typeof import('node:stream/promises') {
  return process.getBuiltinModule('node:stream/promises');
}
