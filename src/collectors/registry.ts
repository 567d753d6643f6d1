// Maps a source kind to its collector. Modules load on first use, so a collect run that has no
// AD source never loads ldapts, and a kind whose module is missing from this build is reported
// for that source instead of breaking every other source.
import type { Collector } from "./collector.ts";
import type { SourceKind } from "../config/types.ts";

export interface CollectorModule {
  /** Path relative to this file, and the export names a module may use for its collector. */
  path: string;
  exports: string[];
}

const modules: Record<SourceKind, CollectorModule> = {
  ad: { path: "./ad/collector.ts", exports: ["adCollector", "collector", "default"] },
  ldap: { path: "./ldap/collector.ts", exports: ["ldapCollector", "collector", "default"] },
  entra: { path: "./entra/collector.ts", exports: ["entraCollector"] },
  github: { path: "./github/collector.ts", exports: ["githubCollector"] },
};

const builtExtension = import.meta.url.slice(import.meta.url.lastIndexOf("."));

export class CollectorUnavailableError extends Error {
  constructor(kind: string, reason: string) {
    super(`no collector for kind ${kind} in this build (${reason})`);
    this.name = "CollectorUnavailableError";
  }
}

export function collectorFor(kind: SourceKind): Promise<Collector> {
  return loadCollector(kind, modules[kind]);
}

/** Loads `module` (a path relative to this folder) and returns its collector export. */
export async function loadCollector(kind: string, module: CollectorModule): Promise<Collector> {
  // In the built package this file and its siblings are .js; paths above name the sources.
  const url = new URL(module.path.replace(/\.ts$/, builtExtension), import.meta.url);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // Only the collector module itself missing means "not in this build"; anything else is a bug to surface.
    if (e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(url.pathname)) {
      throw new CollectorUnavailableError(kind, `src/collectors/${module.path.slice(2)} is missing`);
    }
    throw error;
  }
  for (const name of module.exports) {
    const candidate = loaded[name] as Collector | undefined;
    if (candidate && typeof candidate.collect === "function") return candidate;
  }
  throw new CollectorUnavailableError(kind, `src/collectors/${module.path.slice(2)} exports none of ${module.exports.join(", ")}`);
}
