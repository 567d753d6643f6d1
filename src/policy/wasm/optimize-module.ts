// binaryen's optimizer over a compiled policy: only the generated functions are optimized
// (the runtime arrives optimized by clang; a whole-module -O2 is an order of magnitude slower)
// and the runtime code the policy does not use is dropped. Loaded on demand: binaryen takes
// about a second to load, which one-off compiles (policy test, policy eval) do not pay.
import binaryen from "binaryen";

/** `names`: keep the name section in the output (for profiling). */
export function optimizeGenerated(wasm: Uint8Array, generated: string[], options: { names?: boolean } = {}): Uint8Array {
  const mod = binaryen.readBinary(wasm);
  try {
    mod.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals | binaryen.Features.SignExt | binaryen.Features.BulkMemory);
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(1);
    for (const name of generated) mod.optimizeFunction(name);
    mod.runPasses(["remove-unused-module-elements"]);
    // The debug-info flag is global to binaryen: set it for this emit only.
    binaryen.setDebugInfo(options.names === true);
    try {
      return mod.emitBinary();
    } finally {
      binaryen.setDebugInfo(false);
    }
  } finally {
    mod.dispose();
  }
}
