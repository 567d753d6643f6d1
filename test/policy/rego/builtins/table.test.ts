// The one builtin table against its three counterparts: OPA's capabilities.json (every builtin
// of the latest OPA 1.x capabilities file stored here is declared with OPA's types), the C
// runtime's exports (native and guard builtins) and the host implementations.
import { readFileSync } from "node:fs";
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { builtinsDoc } from "../../../../src/policy/builtins/doc.ts";
import { BUILTINS, RESTRICTED_BUILTINS } from "../../../../src/policy/builtins/table.ts";
import { unnamed, type FunctionType } from "../../../../src/policy/builtins/types.ts";
import { hostBuiltinImplementations, sdkHostBuiltins } from "../../../../src/policy/wasm/host-builtins/index.ts";
import { runtimeBytes } from "../../../../src/policy/wasm/runtime-module.ts";

const capabilities = JSON.parse(readFileSync(new URL("./opa-capabilities-v1.20.2.json", import.meta.url), "utf8")) as {
  builtins: Array<{ name: string; decl: unknown }>;
};

function runtimeExports(prefix: string): Set<string> {
  const mod = binaryen.readBinary(runtimeBytes());
  try {
    const names = new Set<string>();
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      if (info.kind === binaryen.ExternalFunction && info.name.startsWith(prefix)) names.add(info.name.slice(prefix.length));
    }
    return names;
  } finally {
    mod.dispose();
  }
}

function withoutNames(decl: FunctionType): FunctionType {
  return { ...decl, ...(decl.args ? { args: decl.args.map(unnamed) } : {}), ...(decl.result ? { result: unnamed(decl.result) } : {}) };
}

const byImplementation = (impl: string) => [...BUILTINS.values()].filter((b) => b.implementation === impl).map((b) => b.name).sort();

describe("builtin table", () => {
  it("declares every builtin of OPA's capabilities.json with OPA's declaration", () => {
    const missing = capabilities.builtins.filter((b) => !BUILTINS.has(b.name)).map((b) => b.name);
    expect(missing).toEqual([]);
    // capabilities.json strips the parameter names (OPA's Builtin.Minimal); the types must match.
    for (const b of capabilities.builtins) expect(withoutNames(BUILTINS.get(b.name)!.decl), b.name).toEqual(b.decl);
  });

  it("declares nothing beyond OPA's list but credgov's own test and coverage builtins", () => {
    const opa = new Set(capabilities.builtins.map((b) => b.name));
    expect([...BUILTINS.keys()].filter((n) => !opa.has(n)).sort()).toEqual(["internal.coverage", "test.sleep"]);
  });

  it("native builtins are exactly the runtime's opa_bi_ exports", () => {
    expect(byImplementation("native")).toEqual([...runtimeExports("opa_bi_")].sort());
  });

  it("guard builtins have a runtime guard and a host implementation", () => {
    const guards = runtimeExports("opa_guard_");
    for (const name of byImplementation("guard")) {
      expect(guards.has(name), name).toBe(true);
      expect(name in hostBuiltinImplementations || sdkHostBuiltins.has(name), name).toBe(true);
    }
    expect([...guards].sort()).toEqual(byImplementation("guard"));
  });

  it("host and sdk builtins have an implementation; nothing else does", () => {
    for (const name of byImplementation("host")) expect(name in hostBuiltinImplementations, name).toBe(true);
    // The SDK implements a few more itself (sprintf, json.is_valid, ...) that run natively here.
    for (const name of byImplementation("sdk")) expect(sdkHostBuiltins.has(name), name).toBe(true);
    // The host also keeps TypeScript versions of some builtins the runtime implements natively;
    // the table decides dispatch, so those never run in evaluation: they must all be native.
    const hosted = new Set([...byImplementation("host"), ...byImplementation("guard")]);
    const unused = Object.keys(hostBuiltinImplementations).filter((n) => !hosted.has(n));
    for (const name of unused) expect(BUILTINS.get(name)?.implementation, name).toBe("native");
  });

  it("restricted builtins are declared and implemented", () => {
    for (const name of Object.keys(RESTRICTED_BUILTINS)) {
      expect(BUILTINS.get(name)?.restricted, name).toBeTruthy();
      expect(name in hostBuiltinImplementations, name).toBe(true);
    }
  });
});

describe("docs/builtins.md", () => {
  it("is the table rendered (node scripts/generate-builtins-doc.ts)", () => {
    expect(readFileSync(new URL("../../../../docs/builtins.md", import.meta.url), "utf8")).toBe(builtinsDoc());
  });
});
