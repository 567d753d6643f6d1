// The project compiles without DOM typings, so the global WebAssembly API is typed here
// for the few calls the tests make.
export interface WasmModuleStatic {
  new (bytes: Uint8Array): object;
  imports(m: object): { module: string; name: string; kind: string }[];
  exports(m: object): { name: string; kind: string }[];
}
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  Module: WasmModuleStatic;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type GlobalValue = { value: number };

/** Instantiates a compiled policy outside the SDK, with imports that record aborts. */
export function instantiate(wasm: Uint8Array): { exports: Record<string, (...args: number[]) => number>; memory: WasmMemory } {
  const memory = new wasmApi.Memory({ initial: 5 });
  const read = (addr: number) => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const fail = () => {
    throw new Error("builtin called");
  };
  const instance = new wasmApi.Instance(new wasmApi.Module(wasm), {
    env: {
      memory,
      opa_abort: (addr: number) => {
        throw new Error(read(addr));
      },
      opa_println: () => 0,
      opa_builtin0: fail, opa_builtin1: fail, opa_builtin2: fail, opa_builtin3: fail, opa_builtin4: fail,
    },
  });
  return { exports: instance.exports as Record<string, (...args: number[]) => number>, memory };
}

/** Writes `text` with opa_malloc and parses it with opa_json_parse; returns the value address (0 = error). */
export function parseJson(inst: ReturnType<typeof instantiate>, text: string): number {
  const bytes = new TextEncoder().encode(text);
  const addr = inst.exports.opa_malloc(bytes.length);
  new Uint8Array(inst.memory.buffer).set(bytes, addr);
  return inst.exports.opa_json_parse(addr, bytes.length);
}

/** opa_json_dump of a value address, as text. */
export function dumpJson(inst: ReturnType<typeof instantiate>, value: number): string {
  const addr = inst.exports.opa_json_dump(value);
  const bytes = new Uint8Array(inst.memory.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(addr, end));
}
