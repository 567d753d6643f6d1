// WasmModule.reserveFunctions: indices given before the functions are added let a caller be
// written out when it is added; the module's bytes must not depend on that.
import { describe, expect, it } from "vitest";
import { WasmModule } from "../../../src/policy/wasm/emit/wasm-module.ts";
import { I32 } from "../../../src/policy/wasm/emit/expression.ts";
import { runtimeImage } from "../../../src/policy/wasm/runtime-module.ts";
import { wasmApi } from "./wasm-api.ts";

function build(reserve: boolean): Uint8Array {
  const m = new WasmModule(runtimeImage());
  if (reserve) m.reserveFunctions(["fn:a", "fn:b"]);
  // fn:a calls fn:b, which is added after it.
  m.addFunction("fn:a", [I32], [I32], [], m.call("fn:b", [m.local.get(0, I32)], I32));
  m.addFunction("fn:b", [I32], [I32], [], m.i32.add(m.local.get(0, I32), m.i32.const(1)));
  m.addFunctionExport("fn:a", "a");
  return m.emit();
}

describe("WasmModule.reserveFunctions", () => {
  it("gives the same module whether a forward call is written when added or at emit", () => {
    const eager = build(true);
    expect(eager).toEqual(build(false));
    // Valid Wasm: compiling it throws otherwise.
    expect(wasmApi.Module.exports(new wasmApi.Module(eager)).map((e) => e.name)).toContain("a");
  });

  it("refuses a reserved function that is never added, and one added twice", () => {
    const m = new WasmModule(runtimeImage());
    m.reserveFunctions(["fn:a"]);
    expect(() => m.emit()).toThrow(/fn:a was reserved but never added/);
    m.addFunction("fn:a", [], [I32], [], m.i32.const(1));
    expect(() => m.addFunction("fn:a", [], [I32], [], m.i32.const(1))).toThrow(/defined twice/);
  });
});
