// A policy module under construction: the runtime image plus generated functions, globals and
// exports, written out as one Wasm binary. It replaces binaryen for building (binaryen needs
// seconds to load and to build a large module through its JS bindings; this writes bytes
// directly); binaryen remains for the optional optimization of a finished module.
import { ByteWriter } from "./byte-writer.ts";
import { ExpressionBuilder, I32, type Expr } from "./expression.ts";
import type { RuntimeImage, Signature } from "./runtime-image.ts";

/** A generated function: its code entry already encoded, or its tree while a name it uses is unknown. */
interface NewFunction {
  name: string;
  type: number;
  vars: number[];
  body: Expr | undefined;
  encoded: Uint8Array | undefined;
}

/** Thrown by the eager encoder at a function or global not yet added: the tree is kept for emit(). */
class NotYetDefined extends Error {}

interface NewGlobal {
  name: string;
  type: number;
  mutable: boolean;
  init: number;
}

export class WasmModule extends ExpressionBuilder {
  private readonly types: Signature[];
  private readonly typeIndex = new Map<string, number>();
  private readonly functions: NewFunction[] = [];
  private readonly funcIndex = new Map<string, number>();
  private readonly globals: NewGlobal[] = [];
  private readonly globalIndex = new Map<string, number>();
  private readonly exports: Array<{ name: string; kind: number; index: () => number }> = [];
  private start: string | undefined;
  private readonly runtime: RuntimeImage;

  constructor(runtime: RuntimeImage) {
    super();
    this.runtime = runtime;
    this.types = [...runtime.types];
    this.types.forEach((t, i) => {
      const key = typeKey(t);
      if (!this.typeIndex.has(key)) this.typeIndex.set(key, i);
    });
  }

  /** Params and results of a runtime or generated function, or undefined if there is none. */
  signature(name: string): Signature | undefined {
    const own = this.funcIndex.get(name);
    if (own !== undefined) {
      const type = this.functions[own - this.runtimeFuncCount].type;
      return type === -1 ? undefined : this.types[type];
    }
    const idx = this.runtime.funcByName.get(name);
    return idx === undefined ? undefined : this.runtime.types[this.runtime.funcTypes[idx]];
  }

  private get runtimeFuncCount(): number {
    return this.runtime.funcTypes.length;
  }

  private type(sig: Signature): number {
    const key = typeKey(sig);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(sig);
      this.typeIndex.set(key, i);
    }
    return i;
  }

  /**
   * Gives functions their indices before they are added (in this order), so that a function
   * calling one added later can be encoded when it is added.
   */
  reserveFunctions(names: Iterable<string>): void {
    for (const name of names) {
      if (this.funcIndex.has(name) || this.runtime.funcByName.has(name)) throw new Error(`internal: function ${name} is defined twice`);
      this.funcIndex.set(name, this.runtimeFuncCount + this.functions.length);
      this.functions.push({ name, type: -1, vars: [], body: undefined, encoded: undefined });
    }
  }

  addFunction(name: string, params: number[], results: number[], vars: number[], body: Expr): void {
    let slot = this.funcIndex.get(name);
    if (slot === undefined) {
      if (this.runtime.funcByName.has(name)) throw new Error(`internal: function ${name} is defined twice`);
      slot = this.runtimeFuncCount + this.functions.length;
      this.funcIndex.set(name, slot);
      this.functions.push({ name, type: -1, vars: [], body: undefined, encoded: undefined });
    }
    const f = this.functions[slot - this.runtimeFuncCount];
    if (f.type !== -1) throw new Error(`internal: function ${name} is defined twice`);
    f.type = this.type({ params, results });
    f.vars = vars;
    // Encoded now when every name it uses has an index, so that its tree dies young: the trees
    // of a whole module kept to the end were most of what the garbage collector copied.
    f.encoded = this.encodeEntry(vars, body, (n) => this.funcIndex.get(n) ?? this.runtime.funcByName.get(n), (n) => this.globalIndex.get(n));
    if (!f.encoded) f.body = body;
  }

  /** Bytes of a function's code entry, once it is encoded (undefined before). */
  encodedSize(name: string): number | undefined {
    const slot = this.funcIndex.get(name);
    return slot === undefined ? undefined : this.functions[slot - this.runtimeFuncCount]?.encoded?.length;
  }

  /** A code entry (locals, body, end) as bytes, or undefined when the body uses a name not yet defined. */
  private encodeEntry(vars: number[], body: Expr, funcIndex: (n: string) => number | undefined, globalIndex: (n: string) => number | undefined): Uint8Array | undefined {
    const w = this.scratch;
    w.length = 0;
    const runs: Array<[number, number]> = [];
    for (const v of vars) {
      const last = runs[runs.length - 1];
      if (last && last[1] === v) last[0]++;
      else runs.push([1, v]);
    }
    w.uleb(runs.length);
    for (const [n, t] of runs) {
      w.uleb(n);
      w.u8(t);
    }
    const known = (i: number | undefined): number => {
      if (i === undefined) throw new NotYetDefined();
      return i;
    };
    try {
      body.write({ w, labels: [], funcIndex: (n) => known(funcIndex(n)), globalIndex: (n) => known(globalIndex(n)) });
    } catch (e) {
      if (e instanceof NotYetDefined) return undefined;
      throw e;
    }
    w.u8(0x0b);
    return w.view().slice();
  }

  private readonly scratch = new ByteWriter();

  addGlobal(name: string, type: number, mutable: boolean, init: number): void {
    if (this.globalIndex.has(name)) throw new Error(`internal: global ${name} is defined twice`);
    this.globalIndex.set(name, this.runtime.globalCount + this.globals.length);
    this.globals.push({ name, type, mutable, init });
  }

  addFunctionExport(internal: string, external: string): void {
    this.exports.push({ name: external, kind: 0, index: () => this.resolveFunc(internal) });
  }

  addGlobalExport(internal: string, external: string): void {
    this.exports.push({ name: external, kind: 3, index: () => this.resolveGlobal(internal) });
  }

  /** Keeps a runtime export under its name. */
  keepRuntimeExport(name: string): void {
    const e = this.runtime.exports.get(name);
    if (!e) throw new Error(`internal: the runtime does not export ${name}`);
    this.exports.push({ name, kind: e.kind, index: () => e.index });
  }

  setStart(name: string): void {
    this.start = name;
  }

  private resolveFunc(name: string): number {
    const i = this.funcIndex.get(name) ?? this.runtime.funcByName.get(name);
    if (i === undefined) throw new Error(`internal: call to unknown function ${name}`);
    return i;
  }

  private resolveGlobal(name: string): number {
    const i = this.globalIndex.get(name);
    if (i === undefined) throw new Error(`internal: unknown global ${name}`);
    return i;
  }

  /** The module as a Wasm binary; `names` adds a name section (binaryen's optimizer finds functions by it). */
  emit(options: { names?: boolean } = {}): Uint8Array {
    const rt = this.runtime;
    const out = new ByteWriter();
    out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

    const code = new ByteWriter();
    code.uleb(rt.codeEntries.count + this.functions.length);
    code.bytes(rt.codeEntries.body);
    for (const f of this.functions) {
      if (f.type === -1) throw new Error(`internal: function ${f.name} was reserved but never added`);
      const entry = f.encoded ?? this.encodeEntry(f.vars, f.body!, (n) => this.resolveFunc(n), (n) => this.resolveGlobal(n))!;
      code.uleb(entry.length);
      code.bytes(entry);
    }

    const types = new ByteWriter();
    types.uleb(this.types.length);
    for (const t of this.types) {
      types.u8(0x60);
      types.uleb(t.params.length);
      for (const p of t.params) types.u8(p);
      types.uleb(t.results.length);
      for (const r of t.results) types.u8(r);
    }
    out.section(1, types);
    copySection(out, rt, 2);

    const funcs = new ByteWriter();
    funcs.uleb(rt.funcEntries.count + this.functions.length);
    funcs.bytes(rt.funcEntries.body);
    for (const f of this.functions) funcs.uleb(f.type);
    out.section(3, funcs);
    copySection(out, rt, 4);
    copySection(out, rt, 5);

    const globals = new ByteWriter();
    globals.uleb(rt.globalEntries.count + this.globals.length);
    globals.bytes(rt.globalEntries.body);
    for (const g of this.globals) {
      globals.u8(g.type);
      globals.u8(g.mutable ? 1 : 0);
      if (g.type !== I32) throw new Error(`internal: global ${g.name}: only i32 globals are supported`);
      globals.u8(0x41);
      globals.sleb32(g.init);
      globals.u8(0x0b);
    }
    out.section(6, globals);

    const exports = new ByteWriter();
    exports.uleb(this.exports.length);
    for (const e of this.exports) {
      exports.name(e.name);
      exports.u8(e.kind);
      exports.uleb(e.index());
    }
    out.section(7, exports);

    if (this.start !== undefined) {
      const start = new ByteWriter();
      start.uleb(this.resolveFunc(this.start));
      out.section(8, start);
    }
    copySection(out, rt, 9);
    copySection(out, rt, 12);
    out.section(10, code);
    copySection(out, rt, 11);

    if (options.names) {
      const names = new ByteWriter();
      names.name("name");
      const fn = new ByteWriter();
      const entries: Array<[number, string]> = [...rt.funcNames].sort((a, b) => a[0] - b[0]);
      this.functions.forEach((f, i) => entries.push([this.runtimeFuncCount + i, f.name]));
      fn.uleb(entries.length);
      for (const [i, n] of entries) {
        fn.uleb(i);
        fn.name(n);
      }
      names.u8(1);
      names.uleb(fn.length);
      names.bytes(fn.view());
      out.section(0, names);
    }
    return out.view().slice();
  }
}

function typeKey(t: Signature): string {
  return `${t.params.join(",")}:${t.results.join(",")}`;
}

function copySection(out: ByteWriter, rt: RuntimeImage, id: number): void {
  const s = rt.sections.get(id);
  if (!s) return;
  out.u8(id);
  out.uleb(s.length);
  out.bytes(s);
}
