// The prebuilt C runtime (runtime/build/runtime.wasm) read section by section, so that the
// generated code can be appended to it without re-encoding it: new types, functions, globals
// and code go after the runtime's own, whose indices therefore never change. The runtime
// imports everything generated code calls on the host (see runtime/src/host_call.c), so
// linking never adds an import.

export interface Signature {
  params: number[];
  results: number[];
}

interface Export {
  kind: number;
  index: number;
}

export interface RuntimeImage {
  /** Raw section contents by id (type, import, table, ... as laid out by wasm-ld). */
  sections: Map<number, Uint8Array>;
  types: Signature[];
  /** Type index of every function, imports first. */
  funcTypes: number[];
  importedFuncs: number;
  /** Globals in index space (imported ones included). */
  globalCount: number;
  /** Entries of the function, global and code sections, after their count. */
  funcEntries: { count: number; body: Uint8Array };
  globalEntries: { count: number; body: Uint8Array };
  codeEntries: { count: number; body: Uint8Array };
  exports: Map<string, Export>;
  /** Function index by name: export names, import field names and the name section. */
  funcByName: Map<string, number>;
  /** Function names by index (from the name section), for an emitted name section. */
  funcNames: Map<number, string>;
  /** Initial value of each defined i32 constant global, by global index. */
  globalInit: Map<number, number>;
}

class Reader {
  pos: number;
  readonly b: Uint8Array;
  constructor(b: Uint8Array, pos = 0) {
    this.b = b;
    this.pos = pos;
  }
  u8(): number {
    if (this.pos >= this.b.length) throw new Error("internal: runtime.wasm ends early");
    return this.b[this.pos++];
  }
  uleb(): number {
    let r = 0;
    let shift = 0;
    for (;;) {
      const x = this.u8();
      r += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (x < 0x80) return r;
    }
  }
  sleb(): number {
    let r = 0n;
    let shift = 0n;
    let x: number;
    do {
      x = this.u8();
      r |= BigInt(x & 0x7f) << shift;
      shift += 7n;
    } while (x & 0x80);
    if (x & 0x40) r -= 1n << shift;
    return Number(r);
  }
  name(): string {
    const n = this.uleb();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  limits(): void {
    const flags = this.u8();
    this.uleb();
    if (flags & 1) this.uleb();
  }
}

export function readRuntimeImage(bytes: Uint8Array): RuntimeImage {
  const sections = new Map<number, Uint8Array>();
  const customs = new Map<string, Uint8Array>();
  const r = new Reader(bytes, 8);
  while (r.pos < bytes.length) {
    const id = r.u8();
    const size = r.uleb();
    const body = bytes.subarray(r.pos, r.pos + size);
    r.pos += size;
    if (id === 0) {
      const c = new Reader(body);
      const name = c.name();
      customs.set(name, body.subarray(c.pos));
    } else {
      sections.set(id, body);
    }
  }
  const section = (id: number) => sections.get(id) ?? new Uint8Array([0]);

  const types: Signature[] = [];
  const t = new Reader(section(1));
  for (let n = t.uleb(); n > 0; n--) {
    if (t.u8() !== 0x60) throw new Error("internal: runtime.wasm has a non-function type");
    const params = Array.from({ length: t.uleb() }, () => t.u8());
    const results = Array.from({ length: t.uleb() }, () => t.u8());
    types.push({ params, results });
  }

  const funcTypes: number[] = [];
  const funcByName = new Map<string, number>();
  let globalCount = 0;
  const imp = new Reader(section(2));
  for (let n = imp.uleb(); n > 0; n--) {
    imp.name();
    const field = imp.name();
    const kind = imp.u8();
    if (kind === 0) {
      funcByName.set(field, funcTypes.length);
      funcTypes.push(imp.uleb());
    } else if (kind === 1) {
      imp.u8();
      imp.limits();
    } else if (kind === 2) {
      imp.limits();
    } else {
      imp.u8();
      imp.u8();
      globalCount++;
    }
  }
  const importedFuncs = funcTypes.length;

  const fr = new Reader(section(3));
  const funcCount = fr.uleb();
  const funcEntries = { count: funcCount, body: section(3).subarray(fr.pos) };
  for (let i = 0; i < funcCount; i++) funcTypes.push(fr.uleb());

  const globalInit = new Map<number, number>();
  const gr = new Reader(section(6));
  const definedGlobals = gr.uleb();
  const globalEntries = { count: definedGlobals, body: section(6).subarray(gr.pos) };
  for (let i = 0; i < definedGlobals; i++) {
    gr.u8();
    gr.u8();
    const op = gr.u8();
    if (op === 0x41) globalInit.set(globalCount + i, gr.sleb());
    else if (op === 0x42) gr.sleb();
    else if (op === 0x23) gr.uleb();
    else throw new Error(`internal: runtime.wasm global ${i} has an unsupported initializer`);
    if (gr.u8() !== 0x0b) throw new Error(`internal: runtime.wasm global ${i} initializer is not a constant`);
  }
  globalCount += definedGlobals;

  const exports = new Map<string, Export>();
  const er = new Reader(section(7));
  for (let n = er.uleb(); n > 0; n--) {
    const name = er.name();
    const kind = er.u8();
    const index = er.uleb();
    exports.set(name, { kind, index });
    if (kind === 0) funcByName.set(name, index);
  }

  const cr = new Reader(section(10));
  const codeCount = cr.uleb();
  const codeEntries = { count: codeCount, body: section(10).subarray(cr.pos) };

  const funcNames = new Map<number, string>();
  const names = customs.get("name");
  if (names) {
    const nr = new Reader(names);
    while (nr.pos < names.length) {
      const sub = nr.u8();
      const size = nr.uleb();
      const end = nr.pos + size;
      if (sub === 1) {
        for (let n = nr.uleb(); n > 0; n--) {
          const index = nr.uleb();
          const name = nr.name();
          funcNames.set(index, name);
          if (!funcByName.has(name)) funcByName.set(name, index);
        }
      }
      nr.pos = end;
    }
  }
  return { sections, types, funcTypes, importedFuncs, globalCount, funcEntries, globalEntries, codeEntries, exports, funcByName, funcNames, globalInit };
}
