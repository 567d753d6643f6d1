// The prebuilt C runtime (runtime/build/runtime.wasm) and what it offers: every
// in-module builtin is a runtime export named opa_bi_<name, dots as underscores>.
import { readFileSync } from "node:fs";
import binaryen from "binaryen";

const runtimeUrl = new URL("./runtime/build/runtime.wasm", import.meta.url);

let cached: Uint8Array | undefined;

export function runtimeBytes(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(runtimeUrl));
  return cached;
}

const BUILTIN_PREFIX = "opa_bi_";

/** Runtime function implementing a builtin, by OPA builtin name. */
export function nativeFunctionName(builtin: string): string {
  return BUILTIN_PREFIX + builtin.replaceAll(".", "_");
}

/** Reads what the runtime offers (function exports, heap base) once, through binaryen. */
function inspectRuntime(): { exports: string[]; heapBase: number } {
  const mod = binaryen.readBinary(runtimeBytes());
  try {
    const exports: string[] = [];
    let heapBase = -1;
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      if (info.kind === binaryen.ExternalFunction) exports.push(info.name);
      if (info.kind === binaryen.ExternalGlobal && info.name === "__heap_base") {
        const init = binaryen.getGlobalInfo(mod.getGlobal(info.value)).init;
        heapBase = Number((binaryen.getExpressionInfo(init) as { value?: number }).value);
      }
    }
    if (!(heapBase > 0)) throw new Error("internal: the runtime does not export __heap_base");
    return { exports, heapBase };
  } finally {
    mod.dispose();
  }
}

const runtimeInfo = inspectRuntime();

/** Where the runtime's heap starts (after its data and stack). */
export function runtimeHeapBase(): number {
  return runtimeInfo.heapBase;
}

// Export names lost the dots; these OPA names are mapped back.
const DOTTED = [
  "numbers.range", "numbers.range_step", "bits.and", "bits.or", "bits.xor", "bits.negate", "bits.lsh", "bits.rsh",
  "array.concat", "array.slice", "array.reverse", "object.get", "object.keys", "object.remove", "object.filter",
  "object.union", "object.union_n", "internal.member_2", "internal.member_3", "strings.reverse",
  "strings.any_prefix_match", "strings.replace_n", "internal.template_string", "json.is_valid",
];

function listNativeBuiltins(): Set<string> {
  const names = new Set<string>();
  for (const e of runtimeInfo.exports) if (e.startsWith(BUILTIN_PREFIX)) names.add(e.slice(BUILTIN_PREFIX.length));
  const out = new Set<string>();
  for (const name of DOTTED) if (names.delete(name.replaceAll(".", "_"))) out.add(name);
  for (const name of names) out.add(name);
  return out;
}

/** Builtins the generated module implements itself; everything else is called through opa_builtinN. */
export const nativeBuiltins: ReadonlySet<string> = listNativeBuiltins();
