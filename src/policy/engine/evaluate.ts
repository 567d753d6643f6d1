// Evaluates a snapshot with the compiled policy library (and optionally an OPA-built bundle)
// through the official @open-policy-agent/opa-wasm SDK, then joins results with the catalog.
// The snapshot is serialised once and handed to every entrypoint as the same buffer.
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { Catalog } from "../catalog/types.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { readBundle } from "../bundle/bundle.ts";
import { loadBackEnd } from "../bundle/wasm-backend.ts";
import { UserInputError } from "../../cli/errors.ts";
import { buildLibrary } from "./build-library.ts";
import type { Finding } from "./finding.ts";
import { joinWithCatalog } from "./join-catalog.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "./policy-sources.ts";
import { checkRegoResult, type RegoResult } from "./rego-result.ts";

export interface Thresholds {
  rotationDays: number;
  maxSecretLifetimeDays: number;
  syncWindowHours: number;
  krbtgtMaxAgeDays: number;
  minPasswordLength: number;
  privilegedPasswordMaxAgeDays: number;
}

export interface EvaluateOptions {
  catalog: Catalog;
  thresholds?: Partial<Thresholds>;
  /** Evaluation time (RFC 3339); default: the snapshot's generatedAt, for reproducible findings. */
  now?: string;
  /** Evaluate credgov's built-in library (default true). */
  builtin?: boolean;
  /** Extra policy directories compiled together with the built-in library. */
  policyDirs?: string[];
  /** An OPA-built bundle.tar.gz evaluated alongside. */
  bundle?: string;
  warn?: (message: string) => void;
  verbose?: (message: string) => void;
}

export interface EvaluationStats {
  policyHash: string | null;
  compiledFromCache: boolean;
  entrypoints: string[];
  compileSeconds: number;
  evaluateSeconds: number;
}

export interface Evaluation {
  findings: Finding[];
  stats: EvaluationStats;
}

interface LoadedLibrary {
  policy: LoadedPolicy | null;
  entrypoints: string[];
  loadError?: string;
}

export async function evaluateSnapshot(snapshot: Snapshot, options: EvaluateOptions): Promise<Evaluation> {
  const warn = options.warn ?? (() => {});
  const verbose = options.verbose ?? (() => {});
  const data = { credgov: { config: { thresholds: options.thresholds ?? {} }, ...(options.now ? { now: options.now } : {}) } };
  const libraries: LoadedLibrary[] = [];
  const compileStart = performance.now();
  let policyHash: string | null = null;
  let compiledFromCache = false;

  const dirs = [...(options.builtin === false ? [] : [builtinPoliciesDir]), ...(options.policyDirs ?? [])];
  if (dirs.length > 0) {
    const library = readPolicyLibrary(dirs);
    const built = await buildLibrary(library);
    policyHash = built.hash;
    compiledFromCache = built.fromCache;
    verbose(`policy library ${built.hash.slice(0, 12)} (${built.entrypoints.length} packages, ${built.fromCache ? "cached" : "compiled"})`);
    libraries.push(await load(built.wasm, built.entrypoints, data));
  }
  if (options.bundle) {
    let bundle;
    try {
      bundle = await readBundle(options.bundle);
    } catch (error) {
      throw new UserInputError(`cannot read the policy bundle: ${error instanceof Error ? error.message : String(error)}`, { file: options.bundle, field: "--bundle" });
    }
    const merged = { ...bundle.data, credgov: { ...(bundle.data.credgov as object | undefined), ...data.credgov } };
    libraries.push(await load(bundle.wasm, null, merged));
  }
  const compileSeconds = (performance.now() - compileStart) / 1000;

  const evaluateStart = performance.now();
  // One serialisation for all entrypoints: the SDK copies an ArrayBuffer into the module as is.
  const inputBuffer = new TextEncoder().encode(JSON.stringify(snapshot)).buffer as ArrayBuffer;
  const results: RegoResult[] = [];
  const failedPackages = new Map<string, string>();
  const entrypoints: string[] = [];
  for (const library of libraries) {
    for (const entrypoint of library.entrypoints) {
      entrypoints.push(entrypoint);
      const pkg = entrypoint.replace(/\/results$/, "").replaceAll("/", ".");
      if (!library.policy) {
        failedPackages.set(pkg, library.loadError ?? "policy module could not be loaded");
        continue;
      }
      try {
        const started = performance.now();
        const resultSet = library.policy.evaluate(inputBuffer, entrypoint) as Array<{ result: unknown }>;
        const values = resultSet.length > 0 && Array.isArray(resultSet[0].result) ? resultSet[0].result : [];
        let rejected = 0;
        for (const value of values) {
          const checked = checkRegoResult(value);
          if (typeof checked === "string") {
            rejected++;
            if (rejected === 1) warn(`${entrypoint}: ignored a malformed result (${checked})`);
          } else {
            results.push(checked);
          }
        }
        verbose(`${entrypoint}: ${values.length} results in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      } catch (error) {
        failedPackages.set(pkg, `evaluation of ${entrypoint} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  for (const [pkg, reason] of failedPackages) warn(`${pkg}: ${reason}; its controls are reported as error`);
  const sourceKinds = new Map(snapshot.sources.map((s) => [s.id, s.kind as string]));
  const findings = joinWithCatalog({ catalog: options.catalog, results, failedPackages, sourceKinds, warn });
  return {
    findings,
    stats: { policyHash, compiledFromCache, entrypoints, compileSeconds, evaluateSeconds: (performance.now() - evaluateStart) / 1000 },
  };
}

async function load(wasm: Uint8Array, entrypoints: string[] | null, data: object): Promise<LoadedLibrary> {
  try {
    const { hostBuiltins } = await loadBackEnd();
    const policy = await loadPolicy(wasm, undefined, hostBuiltins);
    policy.setData(data);
    const available = Object.keys((policy.entrypoints ?? {}) as Record<string, number>);
    const wanted = entrypoints ?? available.filter((e) => e.endsWith("/results")).sort();
    return { policy, entrypoints: wanted };
  } catch (error) {
    return { policy: null, entrypoints: entrypoints ?? [], loadError: `policy module could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
