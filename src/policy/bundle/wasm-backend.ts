// The Wasm back end (src/policy/wasm), loaded on first use so that the front end, `policy build`
// errors and the manifest code work even where the back end is being rebuilt.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface BackEnd {
  /** `optimize: false` skips binaryen's optimizer (most of the back end's time), for one-off runs. */
  compilePlan(plan: unknown, options?: { optimize?: boolean }): { wasm: Uint8Array; entrypoints?: string[]; builtins?: { native?: string[]; host?: string[] } };
  /** Builtins the host supplies to @open-policy-agent/opa-wasm's loadPolicy. */
  hostBuiltins: Record<string, (...args: never[]) => unknown>;
}

let cached: BackEnd | undefined;
let planModule: { compilePlan: BackEnd["compilePlan"]; loadOptimizer(): Promise<void> } | undefined;

let hostBuiltinsLoaded = false;

/**
 * `optimizer: false` skips loading binaryen's optimizer (about a second) for callers that only
 * compile with `optimize: false`; otherwise compilePlan optimizes by default. `hostBuiltins:
 * false` skips loading the host builtins (about 0.3 s) for callers that evaluate elsewhere (the
 * test runner's worker); hostBuiltins is then empty.
 */
export async function loadBackEnd(options: { optimizer?: boolean; hostBuiltins?: boolean } = {}): Promise<BackEnd> {
  if (cached) {
    if (options.optimizer !== false) await planModule?.loadOptimizer();
    if (options.hostBuiltins !== false && !hostBuiltinsLoaded) cached.hostBuiltins = await loadHostBuiltins();
    return cached;
  }
  // `.ts` when run from a checkout, `.js` in the built package.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const planUrl = new URL(`../wasm/compile-plan${extension}`, import.meta.url);
  if (!existsSync(fileURLToPath(planUrl))) throw new Error("the Wasm back end (src/policy/wasm/compile-plan.ts) is not available");
  const planMod = (await import(planUrl.href)) as NonNullable<typeof planModule>;
  planModule = planMod;
  if (options.optimizer !== false) await planMod.loadOptimizer();
  cached = { compilePlan: planMod.compilePlan, hostBuiltins: options.hostBuiltins === false ? {} : await loadHostBuiltins() };
  return cached;
}

async function loadHostBuiltins(): Promise<BackEnd["hostBuiltins"]> {
  // `.ts` when run from a checkout, `.js` in the built package.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const hostUrl = new URL(`../wasm/host-builtins/index${extension}`, import.meta.url);
  const hostMod = existsSync(fileURLToPath(hostUrl)) ? ((await import(hostUrl.href)) as { hostBuiltins?: BackEnd["hostBuiltins"] }) : {};
  hostBuiltinsLoaded = true;
  return hostMod.hostBuiltins ?? {};
}
