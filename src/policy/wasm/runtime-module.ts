// The prebuilt C runtime (runtime/build/runtime.wasm) and what it offers: every
// in-module builtin is a runtime export named "opa_bi_<OPA builtin name>".
import { readFileSync } from "node:fs";
import { readRuntimeImage, type RuntimeImage } from "./emit/runtime-image.ts";

const runtimeUrl = new URL("./runtime/build/runtime.wasm", import.meta.url);

let cachedBytes: Uint8Array | undefined;
let cachedImage: RuntimeImage | undefined;

export function runtimeBytes(): Uint8Array {
  cachedBytes ??= new Uint8Array(readFileSync(runtimeUrl));
  return cachedBytes;
}

/** The runtime read section by section, to append generated code to. */
export function runtimeImage(): RuntimeImage {
  cachedImage ??= readRuntimeImage(runtimeBytes());
  return cachedImage;
}

const BUILTIN_PREFIX = "opa_bi_";
const GUARD_PREFIX = "opa_guard_";

function exportedFunctions(prefix: string): Set<string> {
  const names = new Set<string>();
  for (const [name, e] of runtimeImage().exports) if (e.kind === 0 && name.startsWith(prefix)) names.add(name.slice(prefix.length));
  return names;
}

/** Where the runtime's heap starts (after its data and stack). */
export function runtimeHeapBase(): number {
  const image = runtimeImage();
  const e = image.exports.get("__heap_base");
  const base = e?.kind === 3 ? image.globalInit.get(e.index) : undefined;
  if (base === undefined || !(base > 0)) throw new Error("internal: the runtime does not export __heap_base");
  return base;
}

/** Builtins the generated module implements itself; everything else is called through opa_builtinN. */
export const nativeBuiltins: ReadonlySet<string> = exportedFunctions(BUILTIN_PREFIX);
const guardBuiltins: ReadonlySet<string> = exportedFunctions(GUARD_PREFIX);

/** Runtime function implementing a native builtin, by OPA builtin name. */
export function nativeFunctionName(builtin: string): string {
  if (!nativeBuiltins.has(builtin)) throw new Error(`internal: ${builtin} is not a native builtin`);
  return BUILTIN_PREFIX + builtin;
}

/** Runtime function that answers some calls of a host builtin without the host, if any. */
export function hostGuardFunction(builtin: string): string | undefined {
  return guardBuiltins.has(builtin) ? GUARD_PREFIX + builtin : undefined;
}
