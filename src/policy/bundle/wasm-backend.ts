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

/**
 * `optimizer: false` skips loading binaryen's optimizer (about a second) for callers that only
 * compile with `optimize: false`; otherwise compilePlan optimizes by default.
 */
export async function loadBackEnd(options: { optimizer?: boolean } = {}): Promise<BackEnd> {
  if (cached) {
    if (options.optimizer !== false) await planModule?.loadOptimizer();
    return cached;
  }
  // `.ts` when run from a checkout, `.js` in the built package.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const planUrl = new URL(`../wasm/compile-plan${extension}`, import.meta.url);
  const hostUrl = new URL(`../wasm/host-builtins/index${extension}`, import.meta.url);
  if (!existsSync(fileURLToPath(planUrl))) throw new Error("the Wasm back end (src/policy/wasm/compile-plan.ts) is not available");
  const planMod = (await import(planUrl.href)) as NonNullable<typeof planModule>;
  planModule = planMod;
  if (options.optimizer !== false) await planMod.loadOptimizer();
  const hostMod = existsSync(fileURLToPath(hostUrl))
    ? ((await import(hostUrl.href)) as { hostBuiltins?: BackEnd["hostBuiltins"] })
    : {};
  cached = { compilePlan: planMod.compilePlan, hostBuiltins: hostMod.hostBuiltins ?? {} };
  return cached;
}
