// What every function compiler shares while one policy is compiled: the module being
// built, static data, the plan's function table and the builtin dispatch.
import { builtin } from "../builtins/table.ts";
import { I32, NONE, type Expr } from "./emit/expression.ts";
import type { WasmModule } from "./emit/wasm-module.ts";
import { hostGuardFunction, nativeFunctionName } from "./runtime-module.ts";
import type { StaticData } from "./static-data.ts";
import type { Func } from "../rego/planner/ir.ts";

type X = Expr;


export class ModuleContext {
  readonly mod: WasmModule;
  readonly statics: StaticData;
  readonly strings: string[];
  readonly stringValues: number[];
  readonly files: string[];
  readonly funcs = new Map<string, Func>();
  /** Host builtins in id order (the ids the module's builtins() reports). */
  readonly hostBuiltins: string[] = [];
  readonly nativeUsed = new Set<string>();
  /** Functions whose value is cached per evaluation (rules: only input and data as parameters). */
  readonly memoized = new Set<string>();
  /** One-argument functions whose results are cached per evaluation by argument (compile-plan.ts), with their ids. */
  readonly argMemo = new Map<string, number>();
  /**
   * The memo caches' `with` frame: each WithStmt runs under a new epoch (from the counter) and
   * restores the outer one after, so what is cached belongs to one input and data (OPA's
   * evaluator pushes fresh caches for each `with` the same way).
   */
  readonly memoEpochGlobal = "credgov_memo_epoch";
  readonly memoEpochCounterGlobal = "credgov_memo_epoch_counter";
  private readonly extraStrings = new Map<string, number>();
  /**
   * Number literals (MakeNumberRefStmt) by static string index: the global holding the value,
   * built once when the module starts, and the address of its text. Numbers are immutable, so
   * `x > 1` inside a loop over 100k accounts reads one value instead of allocating one per pass.
   */
  readonly numberConstants = new Map<number, { global: string; text: number }>();

  constructor(mod: WasmModule, statics: StaticData, strings: string[], files: string[]) {
    this.mod = mod;
    this.statics = statics;
    this.strings = strings;
    this.files = files;
    this.stringValues = strings.map((s) => statics.stringValue(s));
  }

  internString(s: string): number {
    const i = this.strings.indexOf(s);
    if (i >= 0) return this.stringValues[i];
    let addr = this.extraStrings.get(s);
    if (addr === undefined) {
      addr = this.statics.stringValue(s);
      this.extraStrings.set(s, addr);
    }
    return addr;
  }

  /** The global that holds number literal `index` (its text is `text`). */
  numberConstant(index: number, text: string): string {
    let known = this.numberConstants.get(index);
    if (!known) {
      known = { global: `credgov_number_${index}`, text: this.statics.cstring(text) };
      this.mod.addGlobal(known.global, I32, true, 0);
      this.numberConstants.set(index, known);
    }
    return known.global;
  }

  /** Wasm function to call for an IR function (its memoizing wrapper when it has one). */
  callTarget(name: string): string {
    if (this.memoized.has(name)) return `memo:${name}`;
    return this.argMemo.has(name) ? `amemo:${name}` : `fn:${name}`;
  }

  returnType(runtimeFunction: string): number {
    const sig = this.mod.signature(runtimeFunction);
    if (!sig) throw new Error(`internal: the runtime has no function ${runtimeFunction}`);
    return sig.results[0] ?? NONE;
  }

  private arity(runtimeFunction: string): number {
    const sig = this.mod.signature(runtimeFunction);
    if (!sig) throw new Error(`internal: the runtime has no function ${runtimeFunction}`);
    return sig.params.length;
  }

  /** `scratch` allocates an i32 local in the function being compiled. */
  builtinCall(name: string, args: X[], fail: (msg: string) => never, scratch: () => number): X {
    const m = this.mod;
    // Dispatch follows the builtin table; a builtin the table does not know (a plan from a newer
    // OPA) goes to the host, which reports it if it has no implementation either.
    const implementation = builtin(name)?.implementation ?? "host";
    if (implementation === "native") {
      const fn = nativeFunctionName(name);
      const arity = this.arity(fn);
      if (arity !== args.length) fail(`builtin ${name} takes ${arity} arguments, the call passes ${args.length}`);
      this.nativeUsed.add(name);
      return m.call(fn, args, I32);
    }
    if (args.length > 4) fail(`builtin ${name} has ${args.length} arguments; host builtins take at most 4`);
    let id = this.hostBuiltins.indexOf(name);
    if (id < 0) {
      id = this.hostBuiltins.length;
      this.hostBuiltins.push(name);
    }
    // The SDK's dispatcher, imported by the runtime (runtime/src/host_call.c).
    const dispatcher = `opa_builtin${args.length}`;
    // Sets cross to credgov's host builtins tagged ({"\u0000set": [...]}), so that a builtin
    // that hands a value back (providers.aws.sign_req's body) or tells sets from arrays
    // (net.cidr_contains_matches) sees and keeps them; the SDK's own builtins get plain JSON.
    const tagged = implementation === "host" || implementation === "guard";
    const hostCall = (callArgs: X[]): X => {
      const call = m.call(dispatcher, [m.i32.const(id), m.i32.const(0), ...callArgs], I32);
      if (!tagged) return call;
      const result = scratch();
      return m.block(null, [
        m.call("rt_tag_sets", [m.i32.const(1)], NONE),
        m.local.set(result, call),
        m.call("rt_tag_sets", [m.i32.const(0)], NONE),
        m.local.get(result, I32),
      ], I32);
    };
    const guard = implementation === "guard" ? hostGuardFunction(name) : undefined;
    if (guard === undefined || this.arity(guard) !== args.length) {
      return hostCall(args);
    }
    // guard(args) answers without the host when it can (0 = ask the host)
    const temps = args.map(() => scratch());
    const answer = scratch();
    return m.block(null, [
      ...args.map((a, i) => m.local.set(temps[i], a)),
      m.local.set(answer, m.call(guard, temps.map((t) => m.local.get(t, I32)), I32)),
      m.if(
        m.local.get(answer, I32),
        m.local.get(answer, I32),
        hostCall(temps.map((t) => m.local.get(t, I32))),
      ),
    ], I32);
  }
}
