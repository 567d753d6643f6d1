// Rules and virtual documents (OPA's planner: planRules, the rule trie): one IR function per rule
// path and `with` generation, the rule chain with else and default, partial set and object
// inserts, and data refs resolved against the tree of rule paths and packages.
import type { Term } from "../ast.ts";
import type { CompiledRule, RuleSet } from "../compiler/model.ts";
import { DATA_LOCAL, INPUT_LOCAL, type Block, type Operand, local } from "./ir.ts";
import { Planner, type Cont, type QueuedFunc, type TermCont, type TreeNode } from "./planner-core.ts";

declare module "./planner-core.ts" {
  interface Planner {
    funcName(set: RuleSet): string;
    planFunc(entry: QueuedFunc): void;
    chain(r: CompiledRule, args: number[], result: number): void;
    ruleValue(r: CompiledRule, args: number[], target: number): void;
    insertPartial(r: CompiledRule, target: number): void;
    childObject(parent: number, nodes: number | undefined, key: Operand): [number, number | undefined];
    childCollection(parent: number, key: Operand, kind: "object" | "set"): number;
    dataRef(path: Term[], cont: TermCont): void;
    virtualDoc(node: TreeNode, prefix: string[], pattern?: Term[]): number;
  }
}

Planner.prototype.funcName = function (this: Planner, set: RuleSet): string {
  const name = `g${this.gen}.data.${set.path.join(".")}`;
  if (!this.planned.has(name)) {
    this.planned.add(name);
    this.queue.push({ set, name, mocks: this.mocks, gen: this.gen, captures: this.captures });
    this.funcCaptures.set(name, this.captures);
  }
  return name;
};

Planner.prototype.planFunc = function (this: Planner, entry: QueuedFunc): void {
  const set = entry.set;
  const arity = set.kind === "function" ? set.arity : 0;
  this.reset(2 + arity + entry.captures.length);
  this.mocks = entry.mocks;
  this.gen = entry.gen;
  this.captures = entry.captures;
  entry.captures.forEach((n, i) => this.vars.set(n, 2 + arity + i));
  const params = [INPUT_LOCAL, DATA_LOCAL, ...Array.from({ length: arity + entry.captures.length }, (_, i) => 2 + i)];
  const first = set.rules[0] ?? set.defaultRule!;
  this.loc = first.location;
  const ret = this.newLocal();
  const blocks: Block[] = [];
  if (set.kind === "set" || set.kind === "object") {
    const deep = set.kind === "object" && set.rules.some((r) => r.keys.length > 1);
    this.pathNodes = deep ? this.newLocal() : undefined;
    blocks.push(
      this.block(() => {
        this.emit(set.kind === "set" ? "MakeSetStmt" : "MakeObjectStmt", { target: ret });
        if (this.pathNodes !== undefined) this.emit("MakeObjectStmt", { target: this.pathNodes });
      }),
    );
    for (const r of set.rules) {
      blocks.push(
        this.block(() => {
          this.loc = r.location;
          this.scoped(() => this.body(r.body, 0, () => this.insertPartial(r, ret)));
        }),
      );
    }
  } else {
    const result = this.newLocal();
    blocks.push(
      this.block(() => {
        this.emit("ResetLocalStmt", { target: result });
        for (const r of set.rules) {
          this.loc = r.location;
          this.chain(r, params.slice(2), result);
        }
        if (set.defaultRule) {
          const d = set.defaultRule;
          this.loc = d.location;
          this.emit("BlockStmt", {
            blocks: [
              this.block(() => {
                this.emit("IsUndefinedStmt", { source: result });
                this.scoped(() => this.ruleValue(d, params.slice(2), result));
              }),
            ],
          });
        }
      }),
    );
    blocks.push(
      this.block(() => {
        this.emit("IsDefinedStmt", { source: result });
        this.emit("AssignVarOnceStmt", { source: local(result), target: ret });
      }),
    );
  }
  blocks.push(this.block(() => this.emit("ReturnLocalStmt", { source: ret })));
  this.funcs.push({ name: entry.name, params, return: ret, blocks, path: [`g${entry.gen}`, ...set.path] });
};

/** One definition with its `else` chain: the first branch whose body holds assigns the value. */
Planner.prototype.chain = function (this: Planner, r: CompiledRule, args: number[], result: number): void {
  if (!r.else) {
    this.emit("BlockStmt", { blocks: [this.block(() => this.scoped(() => this.ruleValue(r, args, result)))] });
    return;
  }
  const c = this.newLocal();
  this.emit("ResetLocalStmt", { target: c });
  const blocks: Block[] = [];
  let first = true;
  for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
    const branch = cur;
    const isFirst = first;
    first = false;
    blocks.push(
      this.block(() => {
        this.loc = branch.location;
        if (!isFirst) this.emit("IsUndefinedStmt", { source: c });
        this.scoped(() => this.ruleValue(branch, args, c));
      }),
    );
  }
  this.emit("BlockStmt", { blocks });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("IsDefinedStmt", { source: c });
        this.emit("AssignVarOnceStmt", { source: local(c), target: result });
      }),
    ],
  });
};

/** Binds function parameters, plans the body and assigns the head value once. */
Planner.prototype.ruleValue = function (this: Planner, r: CompiledRule, args: number[], target: number): void {
  const bindArgs = (i: number, cont: Cont): void => {
    if (!r.args || i >= r.args.length) return cont();
    this.unifyLocal(r.args[i], local(args[i]), () => bindArgs(i + 1, cont));
  };
  bindArgs(0, () =>
    this.body(r.body, 0, () => {
      const value = r.value;
      if (!value) {
        this.emit("AssignVarOnceStmt", { source: { type: "bool", value: true }, target });
        return;
      }
      this.term(value, (op) => this.emit("AssignVarOnceStmt", { source: op, target }));
    }),
  );
};

Planner.prototype.insertPartial = function (this: Planner, r: CompiledRule, target: number): void {
  if (r.kind === "set") {
    this.term(r.keys[0], (k) => this.emit("SetAddStmt", { value: k, set: target }));
    return;
  }
  // Ref-head rules insert along their key path: `p[x].r contains y` walks p -> x -> "r" and adds
  // y to the set there; `p[x][y] := v` inserts v at p -> x -> y. Intermediate levels are fetched or
  // created; a level holding a different kind of value makes the insert conflict (eval_conflict_error).
  this.terms(r.keys, (ops) => {
    let cur = target;
    let nodes = this.pathNodes;
    const levels = r.leafSet ? ops.length - 1 : ops.length;
    for (let i = 0; i < levels - 1; i++) [cur, nodes] = this.childObject(cur, nodes, ops[i]);
    const last = ops[levels - 1];
    if (r.leafSet) {
      const set = this.childCollection(cur, last, "set");
      this.emit("SetAddStmt", { value: ops[ops.length - 1], set });
      return;
    }
    if (!r.value) {
      this.emit("ObjectInsertOnceStmt", { key: last, value: { type: "bool", value: true }, object: cur });
      return;
    }
    this.term(r.value, (v) => this.emit("ObjectInsertOnceStmt", { key: last, value: v, object: cur }));
  });
};

/**
 * An intermediate object level of a ref-head insert, with its twin in the path-node tree: a
 * level another rule created on its way down may be shared, but an object that is a rule's
 * value may not be extended (`p[q].r := {"s": 1}` and `p.q.r.t := 2` conflict, as in OPA).
 * An existing value that is no path node is left unset here, so the insert-once below
 * conflicts with it.
 */
Planner.prototype.childObject = function (this: Planner, parent: number, nodes: number | undefined, key: Operand): [number, number | undefined] {
  if (nodes === undefined) return [this.childCollection(parent, key, "object"), undefined];
  const child = this.newLocal();
  const childNodes = this.newLocal();
  const tmp = this.newLocal();
  const tmpNodes = this.newLocal();
  this.emit("ResetLocalStmt", { target: child });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("DotStmt", { source: local(parent), key, target: tmp });
        this.emit("IsObjectStmt", { source: local(tmp) });
        this.emit("DotStmt", { source: local(nodes), key, target: tmpNodes });
        this.emit("AssignVarStmt", { source: local(tmp), target: child });
        this.emit("AssignVarStmt", { source: local(tmpNodes), target: childNodes });
      }),
    ],
  });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("IsUndefinedStmt", { source: child });
        this.emit("MakeObjectStmt", { target: child });
        this.emit("ObjectInsertOnceStmt", { key, value: local(child), object: parent });
        this.emit("MakeObjectStmt", { target: childNodes });
        this.emit("ObjectInsertStmt", { key, value: local(childNodes), object: nodes });
      }),
    ],
  });
  return [child, childNodes];
};

Planner.prototype.childCollection = function (this: Planner, parent: number, key: Operand, kind: "object" | "set"): number {
  const child = this.newLocal();
  const tmp = this.newLocal();
  this.emit("ResetLocalStmt", { target: child });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("DotStmt", { source: local(parent), key, target: tmp });
        this.emit(kind === "object" ? "IsObjectStmt" : "IsSetStmt", { source: local(tmp) });
        this.emit("AssignVarStmt", { source: local(tmp), target: child });
      }),
    ],
  });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("IsUndefinedStmt", { source: child });
        this.emit(kind === "object" ? "MakeObjectStmt" : "MakeSetStmt", { target: child });
        this.emit("ObjectInsertOnceStmt", { key, value: local(child), object: parent });
      }),
    ],
  });
  return child;
};

/** `data...` refs: rule paths call their function, package prefixes build the virtual document. */
Planner.prototype.dataRef = function (this: Planner, path: Term[], cont: TermCont): void {
  let node: TreeNode = this.tree;
  const prefix: string[] = [];
  for (let i = 0; ; i++) {
    const mock = prefix.length > 0 ? this.mocks.get(`data.${prefix.join(".")}`) : undefined;
    if (mock) return this.term(mock, (op) => (op.type === "local" ? this.path(op.value, path, i, cont) : i >= path.length ? cont(op) : this.fail()));
    if (node.set && node.set.kind !== "function") {
      const result = this.newLocal();
      const func = this.funcName(node.set);
      this.emit("CallStmt", { func, args: [local(INPUT_LOCAL), local(DATA_LOCAL), ...this.captureArgs(func)], result });
      return this.path(result, path, i, cont);
    }
    if (i >= path.length) {
      return cont(local(this.virtualDoc(node, prefix)));
    }
    const el = path[i];
    if (el.value.type === "string") {
      const child = node.children.get(el.value.value);
      if (!child) return this.path(DATA_LOCAL, path, 0, cont);
      prefix.push(el.value.value);
      node = child;
      continue;
    }
    // A number, boolean or null never names a package or rule: only base data can hold it
    // (OPA's storage reads data[2] as the key "2").
    if (el.value.type === "number" || el.value.type === "boolean" || el.value.type === "null") return this.path(DATA_LOCAL, path, 0, cont);
    if (node.children.size === 0) return this.path(DATA_LOCAL, path, 0, cont);
    // A computed key: build only the part of the document the rest of the ref can reach.
    return this.path(this.virtualDoc(node, prefix, path.slice(i)), path, i, cont);
  }
};

/** The value of a package-like node: its rules' values merged over the base document there. */
Planner.prototype.virtualDoc = function (this: Planner, node: TreeNode, prefix: string[], pattern: Term[] = []): number {
  const obj = this.newLocal();
  this.emit("MakeObjectStmt", { target: obj });
  for (const [name, child] of node.children) {
    if (child.set?.kind === "function") continue;
    const want = pattern[0];
    if (want && want.value.type === "string" && want.value.value !== name) continue;
    if (want && (want.value.type === "number" || want.value.type === "boolean" || want.value.type === "null")) continue; // never a rule name
    const childMock = this.mocks.get(`data.${[...prefix, name].join(".")}`);
    const block = this.block(() => {
      let value: number;
      if (childMock) {
        value = this.newLocal();
        this.term(childMock, (op) => this.emit("AssignVarStmt", { source: op, target: value }));
      } else if (child.set) {
        value = this.newLocal();
        const func = this.funcName(child.set);
        this.emit("CallStmt", { func, args: [local(INPUT_LOCAL), local(DATA_LOCAL), ...this.captureArgs(func)], result: value });
      } else value = this.virtualDoc(child, [...prefix, name], pattern.slice(1));
      this.emit("ObjectInsertStmt", { key: this.str(name), value: local(value), object: obj });
    });
    this.emit("BlockStmt", { blocks: [block] });
  }
  const res = this.newLocal();
  const inner = this.block(() => {
    let src = DATA_LOCAL;
    for (const p of prefix) {
      const t = this.newLocal();
      this.emit("DotStmt", { source: local(src), key: this.str(p), target: t });
      src = t;
    }
    this.emit("ObjectMergeStmt", { a: src, b: obj, target: res });
    this.emit("BreakStmt", { index: 1 });
  });
  this.emit("BlockStmt", {
    blocks: [
      this.block(() => {
        this.emit("BlockStmt", { blocks: [inner] });
        this.emit("AssignVarStmt", { source: local(obj), target: res });
      }),
    ],
  });
  return res;
};
