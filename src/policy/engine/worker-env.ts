// The environment of the engine's worker threads. Node's on-disk compile cache, which the CLI
// turns on (bin/credgov.js), applies to the thread that enabled it only: a worker thread
// compiles (and, in a checkout, strips the types of) its modules again, about 80 ms of CPU
// per worker here. A worker reads NODE_COMPILE_CACHE from its own environment when it starts,
// so the calling thread's cache directory is handed on that way.
import module from "node:module";

/** process.env, plus the calling thread's compile cache directory when it has one. */
export function workerEnv(): NodeJS.ProcessEnv {
  const dir = module.getCompileCacheDir?.();
  return dir ? { ...process.env, NODE_COMPILE_CACHE: dir } : process.env;
}
