// OPA IR plan -> WebAssembly module speaking the OPA Wasm ABI 1.2, linked against
// our C runtime. The plan's functions and the ABI entry points are appended to the
// runtime's binary (emit/); with `optimize`, binaryen's optimizer then improves the
// generated functions and drops whatever the policy does not use (optimize-module.ts).
import { I32, NONE, type Expr } from "./emit/expression.ts";
import { WasmModule } from "./emit/wasm-module.ts";
import { IrCompileError } from "./compile-error.ts";
import { UserInputError } from "../../errors.ts";
import { FunctionCompiler } from "./function-compiler.ts";
import { ModuleContext } from "./module-context.ts";
import { decodePlan } from "./decode-plan.ts";
import { nestedBlocks, type Block, type Func, type Plan } from "../rego/planner/ir.ts";
import { builtin } from "../builtins/table.ts";
import { runtimeHeapBase, runtimeImage } from "./runtime-module.ts";
import { hostImportName } from "./sdk-builtins.ts";
import { StaticData } from "./static-data.ts";
import { readLocals } from "./read-locals.ts";

export { nativeBuiltins } from "./runtime-module.ts";
export { IrCompileError } from "./compile-error.ts";

export interface CompileOptions {
  /**
   * Run binaryen's optimizer over the generated functions. Default: when loadOptimizer() has
   * run (loadBackEnd() does that unless told not to), so that one-off compiles skip binaryen.
   */
  optimize?: boolean;
  /**
   * Abort evaluation on builtin errors (type errors, division by zero, ...) with OPA's
   * error code, like `opa eval --strict-builtin-errors`. Default false: as in OPA, the
   * failing call is undefined.
   */
  strictBuiltinErrors?: boolean;
  /**
   * Keep a name section (runtime functions and `fn:<rule>` / `plan:<i>`) in the module, so a
   * CPU profile names the hot functions instead of `wasm-function[N]`. Default false.
   */
  names?: boolean;
}

export interface CompiledPolicy {
  wasm: Uint8Array;
  entrypoints: string[];
  builtins: { native: string[]; host: string[] };
}

// Node's global (the project's TypeScript settings include no DOM or Wasm typings).
declare const WebAssembly: { validate(bytes: Uint8Array): boolean };

const i32 = I32;
const none = NONE;
type X = Expr;

/** Runtime exports the SDK (or the ABI documentation) relies on; all other runtime exports are dropped. */
const RUNTIME_ABI_EXPORTS = new Set([
  "opa_malloc", "opa_free", "opa_heap_ptr_get", "opa_heap_ptr_set", "opa_json_parse", "opa_json_dump",
  "opa_value_parse", "opa_value_dump", "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data",
  "opa_eval_ctx_set_entrypoint", "opa_eval_ctx_get_result",
]);

/** Plan strings longer than this (messages) are not seeded into the parser's intern caches. */
const SEED_MAX_LENGTH = 64;

/** Writes the static region with i64 stores from the start function (see StaticData). */
/**
 * Words one static-data function stores. A store of a word takes up to 20 bytes of code and V8
 * refuses a function body over 7,654,321 bytes, so static data past about 3 MB (a long string
 * constant) in one function made a module that does not validate.
 */
const STORES_PER_FUNCTION = 100_000;

/** Allocates the static data and stores it: in the initializer itself when it fits in one
 *  function (as every policy's does), else through as many functions as it needs. */
function staticInitializer(m: WasmModule, data: Uint8Array, base: number): X {
  const allocate = m.if(m.i32.ne(m.call("opa_malloc", [m.i32.const(data.length)], i32), m.i32.const(base)), m.unreachable());
  const stores: X[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let off = 0; off < data.length; off += 8) {
    const word = view.getBigInt64(off, true);
    if (word === 0n) continue; // fresh memory is zeroed
    stores.push(m.i64.store(0, 8, m.i32.const(base + off), m.i64.const(word)));
  }
  if (stores.length <= STORES_PER_FUNCTION) return m.block(null, [allocate, ...stores]);
  const body = [allocate];
  for (let from = 0; from < stores.length; from += STORES_PER_FUNCTION) {
    const name = `credgov:init_static:${from / STORES_PER_FUNCTION}`;
    m.addFunction(name, [], [], [], m.block(null, stores.slice(from, from + STORES_PER_FUNCTION), none));
    body.push(m.call(name, [], none));
  }
  return m.block(null, body);
}

/** V8's limits on one function's code and locals (kV8MaxWasmFunctionSize, kV8MaxWasmFunctionLocals):
 *  past either the module does not load. */
const MAX_FUNCTION_BYTES = 7_654_321;
const MAX_FUNCTION_LOCALS = 50_000;

/**
 * A rule whose code exceeds what an engine accepts in one function (a literal array or object of
 * tens of thousands of items is built statement by statement) is the policy author's to fix:
 * named at the rule's first statement, instead of a module that does not validate.
 */
function assertFunctionFits(mod: WasmModule, name: string, locals: number, rule: string, blocks: readonly Block[], files: readonly string[]): void {
  const size = mod.encodedSize(name) ?? 0;
  let excess: string;
  if (size > MAX_FUNCTION_BYTES) excess = `${size} bytes of WebAssembly in one function, more than the ${MAX_FUNCTION_BYTES}`;
  else if (locals > MAX_FUNCTION_LOCALS) excess = `${locals} locals in one function, more than the ${MAX_FUNCTION_LOCALS}`;
  else return;
  const at = blocks.flatMap((b) => b.stmts).find((s) => s.stmt.row > 0)?.stmt;
  throw new UserInputError(
    `${rule} compiles to ${excess} an engine accepts; put a literal this large in a data file (data.json) and read it from data`,
    at ? { file: files[at.file], line: at.row, column: at.col } : {},
  );
}

type Optimizer = (wasm: Uint8Array, generated: string[], options?: { names?: boolean }) => Uint8Array;
let optimizer: Optimizer | undefined;

/** Loads binaryen's optimizer (about a second), after which compilePlan optimizes by default. */
export async function loadOptimizer(): Promise<void> {
  if (optimizer) return;
  // `.ts` when run from a checkout, `.js` in the built package.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const mod = (await import(new URL(`./optimize-module${extension}`, import.meta.url).href)) as { optimizeGenerated: Optimizer };
  optimizer = mod.optimizeGenerated;
}

export function compilePlan(plan: unknown, options: CompileOptions = {}): CompiledPolicy {
  const { policy, strings, files } = decodePlan(plan);
  const funcs = policy.funcs.funcs;
  const plans = policy.plans.plans;
  if (plans.length === 0) throw new IrCompileError("the plan has no entrypoints (plans.plans is empty)");

  const mod = new WasmModule(runtimeImage());
  const base = runtimeHeapBase();
  const statics = new StaticData(base);
  const ctx = new ModuleContext(mod, statics, strings, files);
  for (const f of funcs) {
    if (ctx.funcs.has(f.name)) throw new IrCompileError(`func ${f.name} is defined twice`);
    ctx.funcs.set(f.name, f);
    if (f.params.length === 2 && f.params[0] === 0 && f.params[1] === 1) ctx.memoized.add(f.name);
  }
  for (const name of argumentMemoized(funcs, plans)) ctx.argMemo.set(name, ctx.argMemo.size);
  mod.addGlobal(ctx.memoEpochGlobal, i32, true, 0);
  mod.addGlobal(ctx.memoEpochCounterGlobal, i32, true, 0);
  // The functions and their memo wrappers, in the order they are added below, get their indices
  // now: each body is then written out as soon as it is compiled (see WasmModule.addFunction).
  mod.reserveFunctions([...funcs.map((f) => `fn:${f.name}`), ...[...ctx.memoized].map((name) => `memo:${name}`), ...[...ctx.argMemo.keys()].map((name) => `amemo:${name}`)]);

  for (const f of funcs) {
    const fc = new FunctionCompiler(ctx, `func ${f.name}`, { kind: "func", name: f.name, arity: f.params.length }, f.params);
    fc.readLocals = readLocals(f.blocks);
    const body = fc.compileBlocks(f.blocks);
    // The return local may never be written (an always-undefined function); it is still a local.
    const ret = mod.local.get(fc.wasmLocal(f.return), i32);
    mod.addFunction(`fn:${f.name}`, f.params.map(() => i32), [i32], fc.vars, mod.block(null, [...body, mod.return(ret)]));
    assertFunctionFits(mod, `fn:${f.name}`, f.params.length + fc.vars.length, `rule ${f.name.replace(/^g\d+\./, "")}`, f.blocks, ctx.files);
  }
  const generated: string[] = funcs.map((f) => `fn:${f.name}`);
  const memoNames = [...ctx.memoized];
  memoNames.forEach((name, i) => addMemoWrapper(mod, ctx, name, i));
  for (const [name, id] of ctx.argMemo) addArgumentMemoWrapper(mod, ctx, ctx.funcs.get(name)!, id);

  plans.forEach((pl, i) => {
    const fc = new FunctionCompiler(ctx, `plan ${pl.name}`, { kind: "plan" }, [0, 1]);
    fc.readLocals = readLocals(pl.blocks);
    const body = fc.compileBlocks(pl.blocks);
    mod.addFunction(`plan:${i}`, [i32, i32, i32], [], fc.vars, mod.block(null, body, none));
    assertFunctionFits(mod, `plan:${i}`, 3 + fc.vars.length, `entrypoint ${pl.name}`, pl.blocks, ctx.files);
    generated.push(`plan:${i}`);
  });

  const entrypoints = plans.map((pl) => pl.name);
  addAbiFunctions(mod, ctx, entrypoints, memoNames.length);

  // The plan's strings seed the parser's intern caches (runtime/src/json.c): keys and short
  // strings of the input become the constants the code compares them with.
  const seeds = ctx.stringValues.filter((_, i) => strings[i]!.length <= SEED_MAX_LENGTH);
  const seedArray = statics.words(seeds);
  // Static data must be complete before the initializer is generated.
  const data = statics.contents();
  const init = [staticInitializer(mod, data, base)];
  for (const { global, text } of ctx.numberConstants.values()) {
    init.push(mod.global.set(global, mod.call("opa_number_ref_cstr", [mod.i32.const(text)], i32)));
  }
  if (seeds.length > 0) init.push(mod.call("rt_set_string_seeds", [mod.i32.const(seedArray), mod.i32.const(seeds.length)], none));
  if (options.strictBuiltinErrors) init.push(mod.call("rt_set_strict_builtin_errors", [mod.i32.const(1)], none));
  mod.addFunction("credgov:init_static", [], [], [], mod.block(null, init, none));
  mod.setStart("credgov:init_static");

  for (const name of RUNTIME_ABI_EXPORTS) mod.keepRuntimeExport(name);
  for (const name of ["eval", "opa_eval", "builtins", "entrypoints"]) mod.addFunctionExport(name, name);
  mod.addGlobal("opa_wasm_abi_version", i32, false, 1);
  mod.addGlobal("opa_wasm_abi_minor_version", i32, false, 2);
  mod.addGlobalExport("opa_wasm_abi_version", "opa_wasm_abi_version");
  mod.addGlobalExport("opa_wasm_abi_minor_version", "opa_wasm_abi_minor_version");

  const optimize = options.optimize ?? optimizer !== undefined;
  if (optimize && !optimizer) throw new Error("internal: compilePlan({ optimize: true }) before loadOptimizer()");
  let wasm = mod.emit({ names: optimize || options.names === true });
  if (!WebAssembly.validate(wasm)) throw new IrCompileError("internal: the generated module does not validate");
  if (optimize && optimizer) wasm = optimizer(wasm, generated, { names: options.names === true });
  return {
    wasm,
    entrypoints,
    builtins: { native: [...ctx.nativeUsed].sort(), host: [...ctx.hostBuiltins] },
  };
}

/**
 * Rules (functions of input and data only) are computed once per evaluation and `with` frame:
 * the value is kept with the epoch of the frame that computed it (compile-plan's WithStmt).
 */
function addMemoWrapper(mod: WasmModule, ctx: ModuleContext, name: string, i: number): void {
  const epoch = `memo_epoch_${i}`;
  const val = `memo_val_${i}`;
  mod.addGlobal(epoch, i32, true, 0);
  mod.addGlobal(val, i32, true, 0);
  const current = (): X => mod.global.get(ctx.memoEpochGlobal, i32);
  const result = 2;
  mod.addFunction(`memo:${name}`, [i32, i32], [i32], [i32], mod.block(null, [
    mod.if(mod.i32.eq(mod.global.get(epoch, i32), current()), mod.return(mod.global.get(val, i32))),
    mod.local.set(result, mod.call(`fn:${name}`, [mod.local.get(0, i32), mod.local.get(1, i32)], i32)),
    mod.global.set(epoch, current()),
    mod.global.set(val, mod.local.get(result, i32)),
    mod.local.get(result, i32),
  ], i32));
}

/** Builtins whose calls must happen every time a function is called (output, or a new value per call). */
function sideEffecting(name: string): boolean {
  if (name === "print" || name === "internal.print" || name === "trace") return true;
  return builtin(name)?.nondeterministic === true;
}

/**
 * Functions whose results are cached per evaluation by the address of their argument
 * (runtime/src/memo.c): functions of input, data and one argument, called from more than one
 * place in the plan (a control's population, failing and results rules each calling
 * `in_scope(a)` for the same account), unless they (or functions they call) print, trace or
 * call a nondeterministic builtin.
 */
function argumentMemoized(funcs: Func[], plans: Plan[]): string[] {
  const sites = new Map<string, number>();
  const calls = new Map<string, Set<string>>();
  let dynamic = false;
  const visit = (blocks: Block[], into: Set<string>): void => {
    for (const b of blocks) {
      for (const s of b.stmts) {
        if (s.type === "CallStmt") {
          sites.set(s.stmt.func, (sites.get(s.stmt.func) ?? 0) + 1);
          into.add(s.stmt.func);
        } else if (s.type === "CallDynamicStmt") dynamic = true;
        visit(nestedBlocks(s), into);
      }
    }
  };
  for (const f of funcs) {
    const into = new Set<string>();
    calls.set(f.name, into);
    visit(f.blocks, into);
  }
  for (const p of plans) visit(p.blocks, new Set());
  // A dynamic call could reach any function from any place: call sites say nothing then.
  if (dynamic) return [];
  const known = new Map(funcs.map((f) => [f.name, f]));
  const effects = new Map<string, boolean>();
  const hasEffects = (name: string): boolean => {
    const cached = effects.get(name);
    if (cached !== undefined) return cached;
    effects.set(name, true); // a cycle (not valid Rego) counts as an effect
    const result = [...(calls.get(name) ?? [])].some((c) => (known.has(c) ? hasEffects(c) : sideEffecting(c)));
    effects.set(name, result);
    return result;
  };
  return funcs
    .filter((f) => f.params.length === 3 && f.params[0] === 0 && f.params[1] === 1)
    .filter((f) => (sites.get(f.name) ?? 0) > 1 && !hasEffects(f.name))
    .map((f) => f.name);
}

/** Caches a one-argument function's result by its argument's address, per `with` frame. */
function addArgumentMemoWrapper(mod: WasmModule, ctx: ModuleContext, f: Func, id: number): void {
  const m = mod;
  const result = 3;
  const epoch = (): X => m.global.get(ctx.memoEpochGlobal, i32);
  m.addFunction(`amemo:${f.name}`, [i32, i32, i32], [i32], [i32], m.block(null, [
    m.local.set(result, m.call("rt_memo_get", [m.i32.const(id), m.local.get(2, i32), epoch()], i32)),
    m.if(m.i32.ne(m.local.get(result, i32), m.i32.const(-1)), m.return(m.local.get(result, i32))),
    m.local.set(result, m.call(`fn:${f.name}`, [m.local.get(0, i32), m.local.get(1, i32), m.local.get(2, i32)], i32)),
    m.call("rt_memo_put", [m.i32.const(id), m.local.get(2, i32), m.local.get(result, i32), epoch()], none),
    m.local.get(result, i32),
  ], i32));
}

function addAbiFunctions(mod: WasmModule, ctx: ModuleContext, entrypoints: string[], memoCount: number): void {
  const m = mod;
  // dispatch(entrypoint, input, data) -> result set
  // A host call that trapped may have left set tagging on (see ModuleContext.builtinCall).
  // Epoch 1 is the evaluation's own frame; cached values of epoch 0 never match.
  const reset: X[] = [
    m.global.set(ctx.memoEpochGlobal, m.i32.const(1)),
    m.global.set(ctx.memoEpochCounterGlobal, m.i32.const(1)),
    m.call("rt_tag_sets", [m.i32.const(0)], none),
  ];
  for (let i = 0; i < memoCount; i++) reset.push(m.global.set(`memo_epoch_${i}`, m.i32.const(0)));
  if (ctx.argMemo.size > 0) reset.push(m.call("rt_memo_reset", [m.i32.const(ctx.argMemo.size)], none));
  const ok = "dispatched";
  const cases: X[] = entrypoints.map((_, i) =>
    m.if(m.i32.eq(m.local.get(0, i32), m.i32.const(i)), m.block(null, [
      m.call(`plan:${i}`, [m.local.get(1, i32), m.local.get(2, i32), m.local.get(3, i32)], none),
      m.br(ok),
    ])),
  );
  const badEntrypoint = ctx.statics.cstring("internal: illegal entrypoint id");
  m.addFunction("credgov:dispatch", [i32, i32, i32], [i32], [i32], m.block(null, [
    ...reset,
    m.local.set(3, m.call("rt_result_set", [], i32)),
    m.block(ok, [...cases, m.call("rt_abort_export", [m.i32.const(badEntrypoint)], none)]),
    m.local.get(3, i32),
  ], i32));

  m.addFunction("eval", [i32], [i32], [], m.block(null, [
    m.call("rt_ctx_set_result", [
      m.local.get(0, i32),
      m.call("credgov:dispatch", [
        m.call("rt_ctx_entrypoint", [m.local.get(0, i32)], i32),
        m.call("rt_ctx_input", [m.local.get(0, i32)], i32),
        m.call("rt_ctx_data", [m.local.get(0, i32)], i32),
      ], i32),
    ], none),
    m.i32.const(0),
  ], i32));

  // opa_eval(reserved, entrypoint, data, input_addr, input_len, heap_ptr, format) -> JSON address
  m.addFunction("opa_eval", [i32, i32, i32, i32, i32, i32, i32], [i32], [], m.call("opa_json_dump", [
    m.call("credgov:dispatch", [
      m.local.get(1, i32),
      m.call("rt_fast_input", [m.local.get(3, i32), m.local.get(4, i32), m.local.get(5, i32)], i32),
      m.local.get(2, i32),
    ], i32),
  ], i32));

  const jsonConst = (value: unknown): X => {
    const text = JSON.stringify(value);
    return m.call("rt_json_parse_const", [m.i32.const(ctx.statics.cstring(text)), m.i32.const(ctx.statics.byteLength(text))], i32);
  };
  m.addFunction("builtins", [], [i32], [], jsonConst(Object.fromEntries(ctx.hostBuiltins.map((b, i) => [hostImportName(b), i]))));
  m.addFunction("entrypoints", [], [i32], [], jsonConst(Object.fromEntries(entrypoints.map((e, i) => [e, i]))));
}
