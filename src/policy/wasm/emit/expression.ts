// Wasm expressions as a tree (the shape binaryen's builder API gives the code generator), each
// node knowing its result type and how to write itself as instructions. Labels and function or
// global names are resolved when the tree is written, so functions may call functions added later.
import type { ByteWriter } from "./byte-writer.ts";

export const I32 = 0x7f;
export const I64 = 0x7e;
/** No value (also the "empty" block type). */
export const NONE = 0x40;
/** Never completes (br, return, unreachable): valid wherever any type is expected. */
export const UNREACHABLE = 0;

export interface Encoder {
  w: ByteWriter;
  /** Enclosing labels, innermost last (null for an unnamed block, if or loop). */
  labels: Array<string | null>;
  funcIndex(name: string): number;
  globalIndex(name: string): number;
}

export interface Expr {
  readonly type: number;
  write(e: Encoder): void;
}

function node(type: number, write: (e: Encoder) => void): Expr {
  return { type, write };
}

function depth(e: Encoder, label: string): number {
  const i = e.labels.lastIndexOf(label);
  if (i < 0) throw new Error(`internal: branch to unknown label ${label}`);
  return e.labels.length - 1 - i;
}

/** A structured instruction's body; an unreachable-typed one is written as void plus `unreachable`. */
function structured(e: Encoder, opcode: number, type: number, label: string | null, body: () => void): void {
  e.w.u8(opcode);
  e.w.u8(type === UNREACHABLE ? NONE : type);
  e.labels.push(label);
  body();
  e.labels.pop();
  e.w.u8(0x0b);
  if (type === UNREACHABLE) e.w.u8(0x00);
}

function sequence(e: Encoder, children: Expr[], type: number): void {
  for (const c of children) c.write(e);
  // A value left by the last child of a void block is dropped (binaryen's builder drops it too).
  const last = children[children.length - 1];
  if (type === NONE && last && (last.type === I32 || last.type === I64)) e.w.u8(0x1a);
}

function unary(opcode: number, type: number) {
  return (a: Expr): Expr => node(type, (e) => {
    a.write(e);
    e.w.u8(opcode);
  });
}

function binary(opcode: number, type: number) {
  return (a: Expr, b: Expr): Expr => node(type, (e) => {
    a.write(e);
    b.write(e);
    e.w.u8(opcode);
  });
}

/** The expression builder, shaped like binaryen.Module's so the code generator reads the same. */
export class ExpressionBuilder {
  readonly i32 = {
    const: (v: number): Expr => node(I32, (e) => {
      e.w.u8(0x41);
      e.w.sleb32(v);
    }),
    eqz: unary(0x45, I32),
    eq: binary(0x46, I32),
    ne: binary(0x47, I32),
    add: binary(0x6a, I32),
    sub: binary(0x6b, I32),
    and: binary(0x71, I32),
  };

  readonly i64 = {
    const: (v: bigint): Expr => node(I64, (e) => {
      e.w.u8(0x42);
      e.w.sleb64(v);
    }),
    extend_u: unary(0xad, I64),
    /** `align` in bytes, as binaryen takes it. */
    store: (offset: number, align: number, ptr: Expr, value: Expr): Expr => node(NONE, (e) => {
      ptr.write(e);
      value.write(e);
      e.w.u8(0x37);
      e.w.uleb(Math.log2(align));
      e.w.uleb(offset);
    }),
  };

  readonly local = {
    get: (index: number, type: number): Expr => node(type, (e) => {
      e.w.u8(0x20);
      e.w.uleb(index);
    }),
    set: (index: number, value: Expr): Expr => node(NONE, (e) => {
      value.write(e);
      e.w.u8(0x21);
      e.w.uleb(index);
    }),
  };

  readonly global = {
    get: (name: string, type: number): Expr => node(type, (e) => {
      e.w.u8(0x23);
      e.w.uleb(e.globalIndex(name));
    }),
    set: (name: string, value: Expr): Expr => node(NONE, (e) => {
      value.write(e);
      e.w.u8(0x24);
      e.w.uleb(e.globalIndex(name));
    }),
  };

  call(name: string, args: Expr[], type: number): Expr {
    return node(type, (e) => {
      for (const a of args) a.write(e);
      e.w.u8(0x10);
      e.w.uleb(e.funcIndex(name));
    });
  }

  /**
   * Without an explicit type, the type of the last child, as binaryen infers it; a named block
   * whose last child never completes can still be left by a branch, so it is void.
   */
  block(label: string | null, children: Expr[], type?: number): Expr {
    const lastType = children.length === 0 ? NONE : children[children.length - 1].type;
    const t = type ?? (lastType === UNREACHABLE && label !== null ? NONE : lastType);
    return node(t, (e) => structured(e, 0x02, t, label, () => sequence(e, children, t)));
  }

  loop(label: string, body: Expr): Expr {
    const t = body.type;
    return node(t, (e) => structured(e, 0x03, t, label, () => body.write(e)));
  }

  if(cond: Expr, then: Expr, otherwise?: Expr): Expr {
    let t = NONE;
    if (otherwise) {
      if (then.type === UNREACHABLE) t = otherwise.type;
      else if (otherwise.type === UNREACHABLE || otherwise.type === then.type) t = then.type;
    }
    return node(t, (e) => {
      cond.write(e);
      structured(e, 0x04, t, null, () => {
        sequence(e, [then], t);
        if (otherwise) {
          e.w.u8(0x05);
          sequence(e, [otherwise], t);
        }
      });
    });
  }

  /** br, or br_if when `cond` is given. */
  br(label: string, cond?: Expr): Expr {
    return node(cond ? NONE : UNREACHABLE, (e) => {
      if (cond) cond.write(e);
      e.w.u8(cond ? 0x0d : 0x0c);
      e.w.uleb(depth(e, label));
    });
  }

  return(value?: Expr): Expr {
    return node(UNREACHABLE, (e) => {
      value?.write(e);
      e.w.u8(0x0f);
    });
  }

  unreachable(): Expr {
    return node(UNREACHABLE, (e) => e.w.u8(0x00));
  }

  nop(): Expr {
    return node(NONE, (e) => e.w.u8(0x01));
  }

  /** Trees are immutable and written afresh at each use, so a copy is the expression itself. */
  copyExpression(x: Expr): Expr {
    return x;
  }
}
