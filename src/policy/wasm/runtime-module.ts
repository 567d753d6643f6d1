// The prebuilt C runtime (runtime/build/runtime.wasm) and what it offers: every
// in-module builtin is a runtime export named "opa_bi_<OPA builtin name>".
import { readFileSync } from "node:fs";
import binaryen from "binaryen";

const runtimeUrl = new URL("./runtime/build/runtime.wasm", import.meta.url);

let cached: Uint8Array | undefined;

export function runtimeBytes(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(runtimeUrl));
  return cached;
}

const BUILTIN_PREFIX = "opa_bi_";
const GUARD_PREFIX = "opa_guard_";

/** Reads what the runtime offers (builtin functions, heap base) once, through binaryen. */
function inspectRuntime(): { builtins: Map<string, string>; guards: Map<string, string>; heapBase: number } {
  const mod = binaryen.readBinary(runtimeBytes());
  try {
    // OPA builtin name -> the runtime function's internal name (which code calls)
    const builtins = new Map<string, string>();
    const guards = new Map<string, string>();
    let heapBase = -1;
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      if (info.kind === binaryen.ExternalFunction && info.name.startsWith(BUILTIN_PREFIX)) {
        builtins.set(info.name.slice(BUILTIN_PREFIX.length), info.value);
      }
      if (info.kind === binaryen.ExternalFunction && info.name.startsWith(GUARD_PREFIX)) {
        guards.set(info.name.slice(GUARD_PREFIX.length), info.value);
      }
      if (info.kind === binaryen.ExternalGlobal && info.name === "__heap_base") {
        const init = binaryen.getGlobalInfo(mod.getGlobal(info.value)).init;
        heapBase = Number((binaryen.getExpressionInfo(init) as { value?: number }).value);
      }
    }
    if (!(heapBase > 0)) throw new Error("internal: the runtime does not export __heap_base");
    return { builtins, guards, heapBase };
  } finally {
    mod.dispose();
  }
}

const runtimeInfo = inspectRuntime();

/** Where the runtime's heap starts (after its data and stack). */
export function runtimeHeapBase(): number {
  return runtimeInfo.heapBase;
}

/** Runtime function implementing a native builtin, by OPA builtin name. */
export function nativeFunctionName(builtin: string): string {
  const fn = runtimeInfo.builtins.get(builtin);
  if (fn === undefined) throw new Error(`internal: ${builtin} is not a native builtin`);
  return fn;
}

/** Runtime function that answers some calls of a host builtin without the host, if any. */
export function hostGuardFunction(builtin: string): string | undefined {
  return runtimeInfo.guards.get(builtin);
}

/** Builtins the generated module implements itself; everything else is called through opa_builtinN. */
export const nativeBuiltins: ReadonlySet<string> = new Set(runtimeInfo.builtins.keys());
