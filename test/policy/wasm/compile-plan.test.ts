// The back end end to end: hand-written IR plans compiled by compilePlan, loaded with the
// stock @open-policy-agent/opa-wasm SDK (no patches), evaluated through the ABI 1.2 fast
// path (`evaluate`) with data from `setData`.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compilePlan, IrCompileError, nativeBuiltins } from "../../../src/policy/wasm/compile-plan.ts";
import { hostBuiltins } from "../../../src/policy/wasm/host-builtins/index.ts";
import { local, makePlan, resultOf, st, str } from "./ir-builder.ts";
import { wasmApi, type GlobalValue } from "./wasm-api.ts";

// data.users[_] where the user's role equals input.role -> the set of matching names
function roleFilterPlan(): unknown {
  // strings: 0 "x", 1 "users", 2 "role", 3 "name"
  return makePlan({
    strings: ["x", "users", "role", "name"],
    plans: [
      {
        name: "test/names",
        stmts: [
          st("CallStmt", { func: "g0.data.test.names", args: [local(0), local(1)], result: 2 }),
          ...resultOf(2, 0),
        ],
      },
    ],
    funcs: [
      {
        name: "g0.data.test.names",
        params: [0, 1],
        ret: 2,
        blocks: [
          [
            st("MakeSetStmt", { target: 3 }),
            st("DotStmt", { source: local(1), key: str(1), target: 4 }),
            st("ScanStmt", {
              source: 4,
              key: 5,
              value: 6,
              block: {
                stmts: [
                  st("DotStmt", { source: local(6), key: str(2), target: 7 }),
                  st("DotStmt", { source: local(0), key: str(2), target: 8 }),
                  st("EqualStmt", { a: local(7), b: local(8) }),
                  st("DotStmt", { source: local(6), key: str(3), target: 9 }),
                  st("SetAddStmt", { value: local(9), set: 3 }),
                ],
              },
            }),
            st("AssignVarOnceStmt", { source: local(3), target: 2 }),
          ],
          [st("ReturnLocalStmt", { source: 2 })],
        ],
      },
    ],
  });
}

describe("compilePlan + stock SDK", () => {
  it("evaluates a plan against input and data loaded with setData", async () => {
    const out = compilePlan(roleFilterPlan());
    expect(out.entrypoints).toEqual(["test/names"]);
    const policy = await loadPolicy(out.wasm);
    policy.setData({
      users: [
        { name: "bob", role: "admin" },
        { name: "alice", role: "admin" },
        { name: "carol", role: "dev" },
      ],
    });
    expect(policy.evaluate({ role: "admin" })).toEqual([{ x: ["alice", "bob"] }]);
    expect(policy.evaluate({ role: "dev" })).toEqual([{ x: ["carol"] }]);
    expect(policy.evaluate({ role: "nobody" })).toEqual([{ x: [] }]);
    // new data replaces the old one
    policy.setData({ users: [{ name: "dave", role: "nobody" }] });
    expect(policy.evaluate({ role: "nobody" })).toEqual([{ x: ["dave"] }]);
  });

  it("declares the ABI the SDK expects: version 1.2, env imports only, memory without maximum", () => {
    const { wasm } = compilePlan(roleFilterPlan());
    const mod = new wasmApi.Module(wasm);
    const imports = wasmApi.Module.imports(mod);
    expect(imports.every((i) => i.module === "env")).toBe(true);
    expect(imports.find((i) => i.kind === "memory")?.name).toBe("memory");
    const exports = wasmApi.Module.exports(mod).map((e) => e.name);
    for (const name of [
      "opa_eval", "eval", "builtins", "entrypoints", "opa_malloc", "opa_heap_ptr_get", "opa_heap_ptr_set",
      "opa_json_parse", "opa_json_dump", "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data",
      "opa_eval_ctx_set_entrypoint", "opa_eval_ctx_get_result", "opa_wasm_abi_version", "opa_wasm_abi_minor_version",
    ]) {
      expect(exports).toContain(name);
    }
    // Instantiating against the SDK's own memory shape (5 pages, no maximum) proves the import
    // asks for at most 5 pages and declares no maximum (a declared maximum would not link).
    const memory = new wasmApi.Memory({ initial: 5 });
    const noop = () => 0;
    const instance = new wasmApi.Instance(mod, {
      env: { memory, opa_abort: noop, opa_println: noop, opa_builtin0: noop, opa_builtin1: noop, opa_builtin2: noop, opa_builtin3: noop, opa_builtin4: noop },
    });
    expect((instance.exports.opa_wasm_abi_version as GlobalValue).value).toBe(1);
    expect((instance.exports.opa_wasm_abi_minor_version as GlobalValue).value).toBe(2);
  });

  it("serves several entrypoints by name and by index", async () => {
    const plan = makePlan({
      strings: ["x", "1", "two"],
      plans: [
        { name: "a/one", stmts: [st("MakeNumberRefStmt", { Index: 1, target: 2 }), ...resultOf(2, 0)] },
        { name: "a/two", stmts: [st("AssignVarStmt", { source: str(2), target: 2 }), ...resultOf(2, 0)] },
      ],
    });
    const policy = await loadPolicy(compilePlan(plan).wasm);
    expect(policy.entrypoints).toEqual({ "a/one": 0, "a/two": 1 });
    expect(policy.evaluate(undefined, "a/two")).toEqual([{ x: "two" }]);
    expect(policy.evaluate(undefined, 0)).toEqual([{ x: 1 }]);
  });

  it("calls host builtins through opa_builtinN and lists them in builtins()", async () => {
    const plan = makePlan({
      strings: ["x", "hello"],
      plans: [
        {
          name: "t/p",
          stmts: [
            st("CallStmt", { func: "custom.shout", args: [str(1)], result: 2 }),
            st("CallStmt", { func: "upper", args: [str(1)], result: 3 }),
            st("EqualStmt", { a: local(2), b: local(3) }),
            ...resultOf(2, 0),
          ],
        },
      ],
    });
    const out = compilePlan(plan);
    expect(out.builtins).toEqual({ native: ["upper"], host: ["custom.shout"] });
    expect(nativeBuiltins.has("upper")).toBe(true);
    expect(nativeBuiltins.has("custom.shout")).toBe(false);
    // names come from the runtime's exports, dots included
    for (const name of ["numbers.range", "object.get", "internal.member_2", "strings.replace_n", "sprintf", "walk"]) {
      expect(nativeBuiltins.has(name), name).toBe(true);
    }
    expect([...nativeBuiltins].filter((n) => /^(numbers|object|array|bits|strings|internal|json)_/.test(n))).toEqual([]);
    const policy = await loadPolicy(out.wasm, undefined, { "custom.shout": (s: string) => s.toUpperCase() });
    expect(policy.evaluate({})).toEqual([{ x: "HELLO" }]);
  });

  it("answers a host builtin's non-host cases in the module (yaml.is_valid of a non-string)", async () => {
    const plan = makePlan({
      strings: ["x"],
      plans: [{ name: "t/p", stmts: [st("CallStmt", { func: "yaml.is_valid", args: [local(0)], result: 2 }), ...resultOf(2, 0)] }],
    });
    const out = compilePlan(plan);
    expect(out.builtins.host).toEqual(["yaml.is_valid"]);
    const policy = await loadPolicy(out.wasm, undefined, hostBuiltins as never);
    expect(policy.evaluate({ not: "a string" })).toEqual([{ x: false }]);
    expect(policy.evaluate("a: 1")).toEqual([{ x: true }]); // credgov's host yaml.is_valid (go-yaml v2's reading)
    expect(policy.evaluate("a: 1\n---\nb: 2")).toEqual([{ x: true }]); // a second document is not read, as in OPA
  });

  it("aborts with eval_conflict_error when a complete rule produces two values", async () => {
    const plan = makePlan({
      strings: ["x", "a", "b"],
      plans: [{ name: "t/p", stmts: [st("CallStmt", { func: "g0.data.t.p", args: [local(0), local(1)], result: 2 }), ...resultOf(2, 0)] }],
      funcs: [
        {
          name: "g0.data.t.p",
          params: [0, 1],
          ret: 2,
          blocks: [
            [st("AssignVarOnceStmt", { source: str(1), target: 2 })],
            [st("DotStmt", { source: local(0), key: str(2), target: 3 }), st("AssignVarOnceStmt", { source: local(3), target: 2 }, 7)],
            [st("ReturnLocalStmt", { source: 2 })],
          ],
        },
      ],
    });
    const policy = await loadPolicy(compilePlan(plan).wasm);
    expect(policy.evaluate({ b: "a" })).toEqual([{ x: "a" }]);
    expect(() => policy.evaluate({ b: "other" })).toThrow(/eval_conflict_error: complete rules must not produce multiple outputs \(policy\.rego:7:1\)/);
  });

  it("aborts with eval_conflict_error on an ObjectInsertOnce key clash", async () => {
    const plan = makePlan({
      strings: ["x", "k", "v1", "v2"],
      plans: [
        {
          name: "t/p",
          stmts: [
            st("MakeObjectStmt", { target: 2 }),
            st("ObjectInsertOnceStmt", { key: str(1), value: str(2), object: 2 }),
            st("ObjectInsertOnceStmt", { key: str(1), value: str(2), object: 2 }),
            st("ObjectInsertOnceStmt", { key: str(1), value: str(3), object: 2 }),
            ...resultOf(2, 0),
          ],
        },
      ],
    });
    const policy = await loadPolicy(compilePlan(plan).wasm);
    expect(() => policy.evaluate({})).toThrow(/eval_conflict_error: object keys must be unique/);
  });

  it("turns builtin errors into undefined by default and into OPA error codes when strict", async () => {
    const plan = makePlan({
      strings: ["x", "a"],
      plans: [{ name: "t/p", stmts: [st("CallStmt", { func: "plus", args: [str(1), local(0)], result: 2 }), ...resultOf(2, 0)] }],
    });
    const lenient = await loadPolicy(compilePlan(plan).wasm);
    expect(lenient.evaluate(1)).toEqual([]);
    const strict = await loadPolicy(compilePlan(plan, { strictBuiltinErrors: true }).wasm);
    expect(() => strict.evaluate(1)).toThrow(/eval_type_error: plus: operand 1 must be number but got string/);
  });
});

describe("base document lookups", () => {
  it("finds string-spelled integer keys in data, as OPA storage does, but not in other objects", async () => {
    // strings: 0 "x", 1 "nested", 2 "2"
    const plan = makePlan({
      strings: ["x", "nested", "2"],
      plans: [
        {
          name: "t/data",
          stmts: [
            st("DotStmt", { source: local(1), key: str(1), target: 2 }),
            st("MakeNumberRefStmt", { Index: 2, target: 3 }),
            st("DotStmt", { source: local(2), key: local(3), target: 4 }),
            ...resultOf(4, 0),
          ],
        },
        {
          name: "t/input",
          stmts: [
            st("DotStmt", { source: local(0), key: str(1), target: 2 }),
            st("MakeNumberRefStmt", { Index: 2, target: 3 }),
            st("DotStmt", { source: local(2), key: local(3), target: 4 }),
            ...resultOf(4, 0),
          ],
        },
      ],
    });
    const policy = await loadPolicy(compilePlan(plan).wasm);
    policy.setData({ nested: { "2": "bar" } });
    expect(policy.evaluate(undefined, "t/data")).toEqual([{ x: "bar" }]);
    expect(policy.evaluate({ nested: { "2": "bar" } }, "t/input")).toEqual([]);
  });
});

describe("malformed IR", () => {
  const good = () =>
    makePlan({ strings: ["x"], plans: [{ name: "t/p", stmts: [st("MakeNullStmt", { target: 2 }), ...resultOf(2, 0)] }] }) as {
      plans: { plans: { blocks: { stmts: unknown[] }[] }[] };
    };

  it("names the plan, block, statement, type and source position", () => {
    const plan = good();
    plan.plans.plans[0].blocks[0].stmts.splice(1, 0, { type: "DotStmt", stmt: { source: { type: "local", value: 0 }, key: { type: "string_index", value: 42 }, target: 3, file: 0, row: 12, col: 5 } });
    let err: unknown;
    try {
      compilePlan(plan);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IrCompileError);
    const e = err as IrCompileError;
    expect(e.message).toBe('plan t/p, block 0, statement 1, DotStmt (policy.rego:12:5): field "key" refers to string 42, which is not in static.strings');
    expect(e.location).toMatchObject({ scope: "plan t/p", blockPath: [0], statementIndex: 1, statementType: "DotStmt", row: 12, col: 5 });
  });

  it("names the enclosing statements of a nested block", () => {
    const plan = good();
    plan.plans.plans[0].blocks[0].stmts.unshift({
      type: "ScanStmt",
      stmt: { source: 0, key: 3, value: 4, block: { stmts: [{ type: "NotStmt", stmt: { block: { stmts: [{ type: "IsDefinedStmt", stmt: { source: -1, file: 0, row: 9, col: 3 } }] } } }] } },
    });
    expect(() => compilePlan(plan)).toThrow(
      'plan t/p, block 0, statement 0 ScanStmt, block 0, statement 0 NotStmt, block 0, statement 0, IsDefinedStmt (policy.rego:9:3): field "source" is not a valid local: -1',
    );
  });

  it("rejects unknown statement types, bad breaks, bad operands and unknown functions' arity", () => {
    const withStmt = (s: unknown) => {
      const plan = good();
      plan.plans.plans[0].blocks[0].stmts.unshift(s);
      return () => compilePlan(plan);
    };
    expect(withStmt({ type: "FrobStmt", stmt: {} })).toThrow(/statement 0, FrobStmt.*unknown statement type "FrobStmt"/);
    expect(withStmt({ type: "BreakStmt", stmt: { index: 3 } })).toThrow(/break index 3 exceeds the 1 enclosing blocks/);
    expect(withStmt({ type: "AssignVarStmt", stmt: { source: { type: "register", value: 1 }, target: 2 } })).toThrow(/unknown operand type "register"/);
    expect(withStmt({ type: "CallStmt", stmt: { func: "count", args: [], result: 4 } })).toThrow(/builtin count takes 1 arguments, the call passes 0/);
    expect(withStmt({ type: "MakeNumberRefStmt", stmt: { index: 0, target: 4 } })).toThrow(/static string 0 is not a number/);
    expect(() => compilePlan({ static: {}, plans: { plans: [] } })).toThrow(/no entrypoints/);
  });

  it("checks every statement's fields against the IR's statement table, naming statement and field", () => {
    const at = { file: 0, row: 4, col: 2 };
    const cases: Array<[unknown, string]> = [
      [{ type: "CallStmt", stmt: { func: "count", args: [{ type: "local", value: 0 }], ...at } }, 'plan t/p, block 0, statement 0, CallStmt (policy.rego:4:2): field "result" must be an integer, got undefined'],
      [{ type: "CallStmt", stmt: { func: "", args: [], result: 3, ...at } }, 'statement 0, CallStmt (policy.rego:4:2): "func" must be a function name'],
      [{ type: "DotStmt", stmt: { source: { type: "local", value: 0 }, key: 3, target: 4, ...at } }, 'statement 0, DotStmt (policy.rego:4:2): field "key" must be an operand object'],
      [{ type: "ScanStmt", stmt: { source: 0, key: 3, value: 4, block: "x", ...at } }, 'plan t/p, block 0, statement 0 ScanStmt, block 0 (policy.rego:4:2): a block must be {stmts: [...]}'],
      [{ type: "WithStmt", stmt: { local: 0, path: "a", value: { type: "bool", value: true }, block: { stmts: [] }, ...at } }, 'statement 0, WithStmt (policy.rego:4:2): "path" must be an array'],
      [{ type: "CallDynamicStmt", stmt: { args: [0, 1], path: [], result: 5, ...at } }, 'statement 0, CallDynamicStmt (policy.rego:4:2): "path" must be a non-empty array of operands'],
      [{ type: "AssignIntStmt", stmt: { value: 1.5, target: 3, ...at } }, 'statement 0, AssignIntStmt (policy.rego:4:2): field "value" must be an integer, got 1.5'],
      [{ type: "MakeNullStmt", stmt: { target: 3, file: "x.rego" } }, 'statement 0, MakeNullStmt: field "file" must be an integer, got "x.rego"'],
    ];
    for (const [stmt, message] of cases) {
      const plan = good();
      plan.plans.plans[0].blocks[0].stmts.unshift(stmt);
      expect(() => compilePlan(plan), message).toThrow(message);
    }
  });

  it("reads the field spellings and nil lists Go writes", () => {
    const plan = makePlan({ strings: ["x", "1.5"], plans: [{ name: "t/p", stmts: [st("MakeNumberRefStmt", { Index: 1, target: 2 }), ...resultOf(2, 0)] }] });
    const raw = JSON.parse(JSON.stringify(plan)) as { plans: { plans: { blocks: { stmts: { stmt: Record<string, unknown> }[] }[] }[] }; funcs: unknown };
    const ref = raw.plans.plans[0].blocks[0].stmts[0].stmt;
    ref.index = ref.Index; // the lower-case spelling of older hand-written plans
    delete ref.Index;
    raw.funcs = { funcs: null };
    expect(() => compilePlan(raw)).not.toThrow();
    expect(() => compilePlan("nope")).toThrow(IrCompileError);
  });
});
