/**
 * Rego v1 parser: tokens -> AST (see ast.ts), following the structure of OPA's
 * ast/parser.go: infix operators become calls, top-level `=`/`:=` and calls become
 * call expressions, comprehensions win over `|` (set union) when ambiguous.
 *
 * Errors never escape as exceptions: each statement is parsed inside a recovery
 * point. As in OPA's Parser.Parse, the first statement that fails to parse ends the
 * module: its error is the file's one syntax error. The checks OPA's parseModule makes
 * once every statement has been read (a v0-style rule without `if` or `contains`, a rule
 * without value or body) are reported for every rule, and only when no statement failed.
 */
import type {
  Annotations,
  Body,
  Comment,
  Every,
  Expr,
  Head,
  Import,
  Location,
  Module,
  Package,
  Rule,
  SomeDecl,
  Term,
  Value,
  With,
} from "./ast.ts";
import { INFIX_OPERATORS } from "./ast.ts";
import { RegoError } from "./errors.ts";
import { lex, type Token, type Comment as LexComment } from "./lexer.ts";
import { parseAnnotationBlock, findAnnotationBlocks, type AnnotationBlock } from "./annotations.ts";

/** Words that cannot name a var or a rule in Rego v1. */
const KEYWORDS = new Set([
  "as", "contains", "default", "else", "every", "false", "if", "import", "in", "not", "null", "package", "some", "true", "with",
]);

/** Keywords Rego v0 knows only after `import future.keywords...` or `import rego.v1`. */
const FUTURE_KEYWORDS = new Set(["contains", "every", "if", "in"]);

const MAX_ERRORS = 10;

/** Nesting limit for terms and bodies; deeper input would overflow the JS stack. */
const MAX_DEPTH = 200;

/**
 * Limit for infix operators applied in a row (`1 + 1 + ...`). The parser reads a chain in a
 * loop, but it becomes a call nested once per operator, which the compiler's passes walk
 * recursively: 2,000 terms overflowed the stack ("internal error: Maximum call stack size
 * exceeded"); 1,000 compiled.
 */
const MAX_OPERATORS = 500;

/** Thrown inside the parser only; caught at the statement recovery point. */
class ParseFailure extends Error {
  readonly error: RegoError;
  constructor(error: RegoError) {
    super(error.message);
    this.error = error;
  }
}

export interface ParseModuleResult {
  module?: Module;
  errors: RegoError[];
}

export interface ParseQueryResult {
  body?: Body;
  errors: RegoError[];
}

/**
 * "v1" (OPA 1.x default), "v0" (OPA 1.x `--v0-compatible`: pre-1.0 keywords and rule forms) or
 * "v0v1" (`opa check --v0-v1`: a module both versions read alike, as if it imported rego.v1 -
 * v1 rule forms and checks, but the future keywords only where imported).
 */
export type RegoVersion = "v0" | "v1" | "v0v1";

export interface ParseOptions {
  regoVersion?: RegoVersion;
}

/** Parses one Rego module. `module` is set only when there are no errors. */
export function parseModule(source: string, file: string, options: ParseOptions = {}): ParseModuleResult {
  const lexed = lex(source, file);
  const parser = new Parser(lexed.tokens, file, 0, options.regoVersion);
  if (lexed.errors.length > 0) {
    // OPA's scanner runs as the parser reads, and the statement holding the first bad token ends
    // the module: that token's error is the one reported.
    return { errors: lexed.errors.slice(0, 1) };
  }
  const module = parser.module(lexed.comments);
  const errors = parser.errors.slice(0, MAX_ERRORS);
  return errors.length > 0 ? { errors } : { module, errors };
}

/** Parses a query (a body), e.g. `data.test.p = x`. */
export function parseQuery(source: string, file = "query", options: ParseOptions = {}): ParseQueryResult {
  const lexed = lex(source, file);
  if (lexed.errors.length > 0) return { errors: lexed.errors.slice(0, MAX_ERRORS) };
  const parser = new Parser(lexed.tokens, file, 0, options.regoVersion);
  const body = parser.query();
  return parser.errors.length > 0 ? { errors: parser.errors.slice(0, MAX_ERRORS) } : { body, errors: [] };
}

class Parser {
  readonly tokens: Token[];
  readonly file: string;
  pos = 0;
  readonly errors: RegoError[] = [];
  /** OPA's parseModule checks (checkRegoV1Rule): reported after the statements, only if all of them parsed. */
  private readonly moduleChecks: RegoError[] = [];
  private depth = 0;
  /** Infix operators applied in the chains being read (see MAX_OPERATORS). */
  private operators = 0;
  private readonly termCache = new Map<number, { term: Term; end: number } | { error: ParseFailure; end: number }>();

  /**
   * Rego v0 (`--v0-compatible`): `if`, `contains`, `in` and `every` are keywords only once
   * imported (`future.keywords[.x]`, `rego.v1`); rule bodies need no `if`, `p[x] { ... }` is a
   * partial set. Importing `rego.v1` switches the module to v1 rules, as OPA does. "v0v1" has
   * v1 rules with v0's imported keywords.
   */
  private v0: boolean;
  private keywordsByImport: boolean;
  private readonly future = new Set<string>();

  constructor(tokens: Token[], file: string, depth = 0, version: RegoVersion = "v1") {
    this.tokens = tokens;
    this.file = file;
    this.depth = depth;
    this.v0 = version === "v0";
    this.keywordsByImport = version !== "v1";
  }

  /** Whether `word` is a keyword here (v0 keywords from future imports only). */
  private isKeyword(word: string): boolean {
    if (!KEYWORDS.has(word)) return false;
    return !this.keywordsByImport || !FUTURE_KEYWORDS.has(word) || this.future.has(word);
  }

  // ------------------------------------------------------------ token helpers

  private get tok(): Token {
    return this.tokens[this.pos];
  }
  atEof(): boolean {
    return this.tok.kind === "eof";
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private is(text: string, t: Token = this.tok): boolean {
    return (t.kind === "punct" || t.kind === "ident") && t.text === text;
  }
  /**
   * The keyword `text` at the current token. A keyword directly followed by `.` is
   * the head of a ref instead (`not.foo := 1`, `every.x == 2` are valid Rego v1).
   */
  private kw(text: string): boolean {
    return this.is(text) && this.tok.kind === "ident" && !startsRef(this.tok, this.peek()) && this.isKeyword(text);
  }
  private loc(t: Token = this.tok): Location {
    return { file: this.file, row: t.row, col: t.col };
  }
  private fail(message: string, t: Token = this.tok): never {
    throw new ParseFailure(new RegoError("rego_parse_error", message, this.loc(t)));
  }
  private unexpected(expected?: string): never {
    const t = this.tok;
    const what = describe(t);
    this.fail(expected ? `unexpected ${what}: expected ${expected}` : `unexpected ${what}`, t);
  }
  private expect(text: string): Token {
    if (!this.is(text)) this.unexpected(`'${text}'`);
    return this.next();
  }

  // ------------------------------------------------------------ module

  module(lexComments: LexComment[]): Module {
    const comments: Comment[] = lexComments.map((c) => ({ text: c.text, location: { file: this.file, row: c.row, col: c.col } }));
    const blocks = findAnnotationBlocks(lexComments);
    const annotations: Annotations[] = [];
    let pkg: Package | undefined;
    const imports: Import[] = [];
    const rules: Rule[] = [];

    // Attach each METADATA block to the first statement that starts after it; like OPA,
    // package/subpackages scopes belong before the package, rule/document before a rule.
    let blockIndex = 0;
    const takeAnnotations = (row: number, target: "package" | "rule" | "none"): Annotations | undefined => {
      let found: Annotations | undefined;
      while (blockIndex < blocks.length && blocks[blockIndex].endRow < row) {
        const block: AnnotationBlock = blocks[blockIndex++];
        const result = parseAnnotationBlock(block, this.file, target === "package" ? "package" : "rule");
        if (result instanceof RegoError) {
          this.errors.push(result);
          continue;
        }
        const packageScope = result.scope === "package" || result.scope === "subpackages";
        if (target === "rule" && packageScope) {
          this.errors.push(new RegoError("rego_parse_error", `annotation scope '${result.scope}' must be applied to package`, result.location));
          continue;
        }
        if (target === "package" && !packageScope) {
          this.errors.push(new RegoError("rego_parse_error", `annotation scope '${result.scope}' must be applied to rule (have package)`, result.location));
          continue;
        }
        annotations.push(result);
        found = result;
      }
      return found;
    };

    let failed = false;
    while (this.tok.kind !== "eof" && this.errors.length < MAX_ERRORS) {
      try {
        if (this.kw("package")) {
          const a = takeAnnotations(this.tok.row, "package");
          if (pkg) this.fail("unexpected package keyword: only one package declaration per module");
          pkg = this.packageDecl();
          if (a) pkg.annotations = a;
        } else if (!pkg) {
          this.fail(`package expected`);
        } else if (this.kw("import")) {
          takeAnnotations(this.tok.row, "none");
          imports.push(this.importDecl());
        } else {
          const a = takeAnnotations(this.tok.row, "rule");
          for (const rule of this.rule()) {
            if (a) {
              for (let r: Rule | undefined = rule; r; r = r.else) r.annotations = a;
            }
            rules.push(rule);
          }
        }
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        this.errors.push(e.error);
        failed = true;
        break;
      }
    }
    // OPA reads the comments up to the failed statement only.
    if (!failed) takeAnnotations(Number.MAX_SAFE_INTEGER, "none");
    if (this.errors.length === 0) this.errors.push(...this.moduleChecks);
    if (!pkg) {
      if (this.errors.length === 0) {
        this.errors.push(new RegoError("rego_parse_error", "empty module", { file: this.file, row: 1, col: 1 }));
      }
      pkg = { path: [], location: { file: this.file, row: 1, col: 1 } };
    }
    return { package: pkg, imports, rules, annotations, comments, location: pkg.location };
  }

  query(): Body {
    try {
      const body = this.body("eof");
      if (body.length === 0) this.fail("empty query");
      return body;
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      this.errors.push(e.error);
      return [];
    }
  }

  private packageDecl(): Package {
    const kw = this.next();
    const location = this.loc(kw);
    const t = this.tok;
    if (t.kind !== "ident" || this.isKeyword(t.text)) this.unexpected("package name");
    const ref = this.term();
    const path: Term[] = [{ value: { type: "var", value: "data" }, location: this.loc(t) }];
    if (ref.value.type === "var") {
      path.push({ value: { type: "string", value: ref.value.value }, location: ref.location });
    } else if (ref.value.type === "ref") {
      const [head, ...rest] = ref.value.value;
      if (head.value.type !== "var") this.fail("invalid package path", t);
      path.push({ value: { type: "string", value: head.value.value }, location: head.location });
      for (const part of rest) {
        if (part.value.type !== "string") this.fail("invalid package path: only string components are allowed", t);
        path.push(part);
      }
    } else {
      this.fail("invalid package path", t);
    }
    this.endOfStatement();
    return { path, location };
  }

  private importDecl(): Import {
    const kw = this.next();
    const location = this.loc(kw);
    const t = this.tok;
    if (t.kind !== "ident") this.unexpected("import path");
    const path = this.term();
    const parts = path.value.type === "ref" ? path.value.value : [path];
    const head = parts[0];
    const root = head.value.type === "var" ? head.value.value : "";
    if (!["data", "input", "future", "rego"].includes(root)) {
      this.fail(`unexpected import path, must begin with one of: {data, future, input, rego}, got: ${root || "non-var"}`, t);
    }
    for (const p of parts.slice(1)) {
      if (p.value.type !== "string") this.fail("invalid path: import paths may only contain strings", t);
    }
    const names = parts.slice(1).map((p) => (p.value.type === "string" ? p.value.value : ""));
    if (root === "future") {
      const ok = names[0] === "keywords" && (names.length === 1 || (names.length === 2 && ["in", "every", "if", "contains"].includes(names[1])));
      if (!ok) this.fail(`unexpected future import, must be future.keywords or future.keywords.<keyword>`, t);
    }
    if (root === "rego" && !(names.length === 1 && names[0] === "v1")) {
      this.fail("invalid import, must be `rego.v1`", t);
    }
    if (root === "future") for (const k of names.length === 1 ? FUTURE_KEYWORDS : [names[1]]) this.future.add(k);
    // OPA's scanner: importing `every` imports `in` too (`every x in xs` needs it).
    if (this.future.has("every")) this.future.add("in");
    if (root === "rego") this.v0 = this.keywordsByImport = false;
    let alias: string | undefined;
    if (this.kw("as") && !this.tok.nlBefore) {
      this.next();
      const a = this.tok;
      if (a.kind !== "ident" || this.isKeyword(a.text)) this.unexpected("alias name");
      if (root === "future" || root === "rego") this.fail(`${root} imports cannot be aliased`, a);
      alias = this.next().text;
    }
    this.endOfStatement();
    const importPath: Term = path.value.type === "var" ? { value: { type: "ref", value: [path] }, location: path.location } : path;
    return { path: importPath, alias, location };
  }

  /** A package, import or rule must end its line. */
  private endOfStatement(): void {
    if (this.tok.kind !== "eof" && !this.tok.nlBefore) this.unexpected("end of line");
  }

  // ------------------------------------------------------------ rules

  /** One rule, or several for chained bodies (`p if { a } { b }` is two rules with one head). */
  private rule(): Rule[] {
    const first = this.tok;
    const location = this.loc(first);
    if (this.kw("default")) {
      const kw = this.next();
      // OPA's parseRules gives up on `default` without a rule name after it and reads the line as
      // a query, which a keyword cannot start.
      if (this.tok.kind !== "ident") this.fail("unexpected default keyword", kw);
      return [this.defaultRule(location)];
    }
    const head = this.head();
    let body: Body | undefined;
    const sawIf = this.kw("if");
    if (sawIf) {
      this.next();
      body = this.ruleBody();
    } else if (this.is("{") && this.v0) {
      body = this.bracedBody();
      // v0: `p[x] { ... }` is a partial set rule (v1 writes `p contains x if { ... }`).
      if (head.value === undefined && head.key !== undefined && !head.contains && !head.args) asPartialSet(head);
    } else if (this.is("{")) {
      // OPA parses a v0-style body and reports the missing keyword once the module is read
      // (checkRegoV1Rule), so the braces are read here and the rules after them still are; a
      // `p[x] { ... }` gets the missing `contains` below as well.
      this.moduleChecks.push(new RegoError("rego_parse_error", `\`if\` keyword is required before ${head.args ? "function" : "rule"} body`, this.loc(first)));
      body = this.bracedBody();
    }
    if (!body) {
      // OPA v1 reads a bodiless function clause `f(null)` as `f(null) := true`; a plain `p` is an error.
      if (head.value === undefined && head.key === undefined && !head.args) {
        this.moduleChecks.push(new RegoError("rego_parse_error", "rule must have value assignment and/or body declaration", this.loc(first)));
      }
      body = [trueExpr(head.location)];
    }
    if (head.value === undefined && !head.contains && this.v0 && head.key !== undefined && !head.args && !sawIf) {
      asPartialSet(head); // v0: a bodiless `p[x]` is a partial set too
    }
    if (head.value === undefined && !head.contains) {
      // OPA v1: `p[x] if { ... }` is a single-value rule at a ref head, `p[x] := true`
      // (parametrised tests, `test_concat[tc.note] if { ... }`); without `if` it needs `contains`.
      if (head.key !== undefined && !sawIf) {
        this.moduleChecks.push(new RegoError("rego_parse_error", "`contains` keyword is required for partial set rules", this.loc(first)));
      }
      head.value = { value: { type: "boolean", value: true }, location: head.location };
    }
    const rule: Rule = { default: false, head, body, location };
    const rules = [rule];
    while (this.is("{") && this.tokens[this.pos - 1]?.text === "}") {
      const open = this.tok;
      const chained = this.ruleBody();
      rules.push({ default: false, head: { ...head, location: this.loc(open) }, body: chained, location: this.loc(open) });
    }
    let last = rule;
    while (this.kw("else")) {
      if (head.contains) this.fail("else keyword cannot be used on multi-value rules", this.tok);
      if (rules.length > 1) this.fail("else keyword cannot be used on rules with chained bodies", this.tok);
      last.else = this.elseRule(head);
      last = last.else;
    }
    this.endOfStatement();
    return rules;
  }

  private defaultRule(location: Location): Rule {
    const head = this.head();
    if (head.contains) this.fail("default rules cannot use contains", this.tok);
    if (head.value === undefined) this.fail("default rule must have a value (use := or =)", this.tok);
    if (this.kw("if") || this.is("{")) this.fail("default rules cannot have a body", this.tok);
    this.endOfStatement();
    return { default: true, head, body: [trueExpr(head.location)], location };
  }

  private head(): Head {
    const t = this.tok;
    const location = this.loc(t);
    if (t.kind !== "ident") this.unexpected("rule name");
    if (this.isKeyword(t.text) && !startsRef(t, this.peek())) this.fail(`${t.text} keyword cannot be used for rule name`, t);
    const term = this.headTerm();
    let ref: Term[];
    let args: Term[] | undefined;
    const v = term.value;
    if (v.type === "var") {
      ref = [term];
    } else if (v.type === "ref") {
      ref = v.value;
    } else if (v.type === "call") {
      const op = v.value[0];
      ref = op.value.type === "ref" ? op.value.value : [op];
      args = v.value.slice(1);
    } else {
      this.fail(`${v.type} cannot be used for rule name`, t);
    }
    if (ref[0].value.type !== "var") this.fail("rule head must start with a var", t);
    // v0 (OPA's parser without `if`): the operand of a two-part head `p[k]` is the rule's key, not
    // a ref operand, so it may be any term: `deny[sprintf("%s", [x])] { ... }`.
    const keyed = this.v0 && !args && ref.length === 2;
    for (const part of keyed ? [] : ref.slice(1)) {
      const k = part.value.type;
      // General refs (`p[input.x].r`) and calls (`test_p[sprintf("%v", [x])] if ...`) are allowed:
      // OPA's RewriteRuleHeadRefs binds each to a local in the body; which terms make sense is
      // the compiler's call.
      if (k === "arraycomprehension" || k === "setcomprehension" || k === "objectcomprehension" || k === "templatestring") {
        this.fail(`invalid rule head: ${k} cannot be used in a rule head reference`, t);
      }
    }
    const head: Head = { name: (ref[0].value as { value: string }).value, ref, assign: false, contains: false, location };
    // A head with empty parentheses, `f() := x`, is a complete rule in OPA (its checker and
    // evaluator test len(Head.Args) > 0): it is referred to as `f`, sits in the data document,
    // and may also be called as `f()`.
    if (args && args.length > 0) head.args = args;
    if (this.kw("contains")) {
      if (args) this.fail("the contains keyword can only be used with multi-value rule definitions (e.g., p contains { x } if { true })", this.tok);
      this.next();
      head.contains = true;
      head.key = this.termInfix(true);
      return head;
    }
    if (this.is("=") || this.is(":=")) {
      head.assign = this.next().text === ":=";
      head.value = this.termInfix(true);
    }
    // `p[k] := v` (and v0-style `p[x]`): the last operand of a two-part ref is the key. A string
    // operand names a rule path in v1 (`p["a"] := 1` is `p.a := 1`); a v0 head without a value,
    // `p["a"]`, is still an element of the partial set p, as OPA 0.x read it.
    if (!args && ref.length === 2 && (ref[1].value.type !== "string" || (keyed && head.value === undefined))) head.key = ref[1];
    return head;
  }

  /**
   * The head's name and its ref or argument list. OPA's parseHeadFinish skips whitespace
   * before the first `(`, `[` or `.` after a rule name (body terms do not), so
   * `f (x) { ... }` is a function and `deny [msg] { ... }` a partial set.
   */
  private headTerm(): Term {
    const name = this.tok;
    const gap = this.peek();
    const spaced = gap.kind === "punct" && gap.wsBefore && (gap.text === "(" || gap.text === "[" || gap.text === ".");
    if (!spaced || name.text === "null" || name.text === "true" || name.text === "false") return this.term();
    this.next();
    return this.refTail({ value: { type: "var", value: name.text }, location: this.loc(name) }, true);
  }

  /**
   * `{ body }`, never an expression: a v0 rule's body right after its head, and an else
   * branch's after `if` (OPA's parseElse, unlike parseRules, tries no expression there).
   */
  private bracedBody(): Body {
    this.next();
    const body = this.body("}");
    if (body.length === 0) this.fail("found empty body", this.tok);
    this.expect("}");
    return body;
  }

  /**
   * After `if`: `{ body }` or a single expression. OPA's parseRules reads a single expression
   * first and takes the braces as a body only when that expression is a set literal, so
   * `p if {}` (braces holding nothing but blanks and comments) is the expression `{}`, an empty
   * object, which is true.
   */
  private ruleBody(): Body {
    if (this.is("{") && !this.is("}", this.peek())) {
      const save = this.pos;
      try {
        const open = this.next();
        const body = this.body("}");
        if (body.length === 0) this.fail("found empty body", open);
        this.expect("}");
        return body;
      } catch (e) {
        // `if {x: 1 | ...} ...` is a single expression starting with a comprehension or
        // object; retry as one, and report whichever attempt got further.
        if (!(e instanceof ParseFailure)) throw e;
        const failedAt = this.pos;
        this.pos = save;
        try {
          const expr = this.literal();
          return [expr];
        } catch (e2) {
          if (!(e2 instanceof ParseFailure)) throw e2;
          if (this.pos > failedAt) throw e2;
          this.pos = failedAt;
          throw e;
        }
      }
    }
    const expr = this.literal();
    expr.index = 0;
    return [expr];
  }

  private elseRule(head: Head): Rule {
    const kw = this.next();
    const location = this.loc(kw);
    const elseHead: Head = { ...head, key: head.key, value: undefined, assign: false, location };
    if (this.is("=") || this.is(":=")) {
      elseHead.assign = this.next().text === ":=";
      elseHead.value = this.termInfix(true);
    } else {
      elseHead.value = { value: { type: "boolean", value: true }, location };
    }
    let body: Body;
    if (this.kw("if")) {
      this.next();
      body = this.is("{") ? this.bracedBody() : [this.literal()];
    } else if (this.is("{") && this.v0) {
      body = this.bracedBody();
    } else if (this.is("{")) {
      this.fail("`if` keyword is required before else body", this.tok);
    } else {
      body = [trueExpr(location)];
    }
    return { default: false, head: elseHead, body, location };
  }

  // ------------------------------------------------------------ bodies and literals

  /** Expressions separated by `;` or newlines, up to (not including) `end`. */
  private body(end: "}" | "]" | "eof"): Body {
    const body: Body = [];
    const atEnd = (): boolean => (end === "eof" ? this.tok.kind === "eof" : this.is(end));
    while (!atEnd()) {
      if (this.tok.kind === "eof") this.unexpected(`'${end}'`);
      const expr = this.literal();
      expr.index = body.length;
      body.push(expr);
      if (this.is(";")) {
        this.next();
        continue;
      }
      if (atEnd()) break;
      if (!this.tok.nlBefore) this.unexpected(`newline, ';' or ${end === "eof" ? "end of query" : `'${end}'`}`);
    }
    return body;
  }

  private literal(): Expr {
    if (++this.depth > MAX_DEPTH) this.fail("expression nested too deeply");
    try {
      return this.literalAt();
    } finally {
      this.depth--;
    }
  }

  private literalAt(): Expr {
    const start = this.tok;
    const location = this.loc(start);
    let negated = false;
    if (this.kw("not")) {
      this.next();
      negated = true;
    }
    let expr: Expr;
    if (this.kw("some")) {
      if (negated) this.fail("illegal negation of 'some'", start);
      expr = this.someDecl();
    } else if (this.kw("every")) {
      if (negated) this.fail("illegal negation of 'every'", start);
      expr = this.every();
    } else {
      expr = this.expr();
      expr.negated = negated;
      expr.location = location;
    }
    while (this.kw("with")) {
      const kw = this.next();
      const target = this.term();
      const tv = target.value.type;
      if (tv !== "var" && tv !== "ref") this.fail("expected with target to be a ref (input, data or a function)", kw);
      this.expect("as");
      const value = this.termInfix(false);
      const w: With = { target: tv === "var" ? { value: { type: "ref", value: [target] }, location: target.location } : target, value, location: this.loc(kw) };
      expr.with.push(w);
    }
    return expr;
  }

  private expr(): Expr {
    const start = this.tok;
    const location = this.loc(start);
    const lhs = this.termInfix(true);
    if (this.is("=") || this.is(":=")) {
      const opTok = this.next();
      const rhs = this.termInfix(true);
      const op = operatorTerm(INFIX_OPERATORS[opTok.text], this.loc(opTok));
      return makeExpr([op, lhs, rhs], location);
    }
    if (lhs.value.type === "call") return makeExpr(lhs.value.value, location);
    return makeExpr(lhs, location);
  }

  private someDecl(): Expr {
    const kw = this.next();
    const location = this.loc(kw);
    const save = this.pos;
    try {
      const term = this.termInfix(true);
      if (term.value.type === "call") {
        const name = refName(term.value.value[0]);
        if (name === "internal.member_2" || name === "internal.member_3") {
          const decl: SomeDecl = { type: "some", symbols: [term], location };
          return makeExpr(decl, location);
        }
        this.fail("illegal token: expected `x in xs` or `x, y in xs` after some", kw);
      }
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
    }
    this.pos = save;
    const symbols: Term[] = [];
    while (true) {
      const t = this.tok;
      if (t.kind !== "ident" || this.isKeyword(t.text)) this.unexpected("var");
      this.next();
      symbols.push({ value: { type: "var", value: t.text }, location: this.loc(t) });
      if (!this.is(",")) break;
      this.next();
    }
    return makeExpr({ type: "some", symbols, location }, location);
  }

  private every(): Expr {
    const kw = this.next();
    const location = this.loc(kw);
    const term = this.termInfix(true);
    const name = term.value.type === "call" ? refName(term.value.value[0]) : "";
    if (term.value.type !== "call" || (name !== "internal.member_2" && name !== "internal.member_3")) {
      this.fail("expected `x[, y] in xs { ... }` after every", kw);
    }
    const args = term.value.value.slice(1);
    for (const a of args.slice(0, -1)) {
      if (a.value.type !== "var") this.fail("unexpected term in every: expected var", kw);
    }
    const open = this.tok;
    this.expect("{");
    const body = this.body("}");
    if (body.length === 0) this.fail("found empty body", open);
    this.expect("}");
    const every: Every =
      args.length === 3
        ? { type: "every", key: args[0], value: args[1], domain: args[2], body, location }
        : { type: "every", value: args[0], domain: args[1], body, location };
    return makeExpr(every, location);
  }

  // ------------------------------------------------------------ terms with infix operators

  /**
   * Lowest-precedence term: `in` (with `k, v in xs` when `keyVal`), then relations,
   * `|`, `&`, `+ -`, `* / %`. Mirrors OPA's parseTermIn ... parseTermFactor chain.
   */
  private termInfix(keyVal: boolean): Term {
    let lhs = this.relation();
    while (true) {
      if (keyVal && this.is(",")) {
        const save = this.pos;
        this.next();
        try {
          const mhs = this.relation();
          if (this.kw("in")) {
            const opTok = this.next();
            const rhs = this.relation();
            lhs = callTerm(operatorTerm("internal.member_3", this.loc(opTok)), [lhs, mhs, rhs], lhs.location);
            continue;
          }
        } catch (e) {
          if (!(e instanceof ParseFailure)) throw e;
        }
        this.pos = save;
      }
      if (this.kw("in")) {
        const opTok = this.next();
        const rhs = this.relation();
        lhs = callTerm(operatorTerm("internal.member_2", this.loc(opTok)), [lhs, rhs], lhs.location);
        continue;
      }
      return lhs;
    }
  }

  private binary(ops: readonly string[], operand: () => Term): Term {
    let lhs = operand();
    let applied = 0;
    try {
      while (this.tok.kind === "punct" && ops.includes(this.tok.text)) {
        const opTok = this.next();
        if (++this.operators > MAX_OPERATORS) this.fail(`expression nested too deeply: more than ${MAX_OPERATORS} operators in a row; compute parts in separate rules`, opTok);
        applied++;
        const rhs = operand();
        lhs = callTerm(operatorTerm(INFIX_OPERATORS[opTok.text], this.loc(opTok)), [lhs, rhs], lhs.location);
      }
    } finally {
      this.operators -= applied;
    }
    return lhs;
  }

  private relation(): Term {
    return this.binary(["==", "!=", "<", "<=", ">", ">="], () => this.or());
  }
  private or(): Term {
    return this.binary(["|"], () => this.and());
  }
  private and(): Term {
    return this.binary(["&"], () => this.arith());
  }
  private arith(): Term {
    return this.binary(["+", "-"], () => this.factor());
  }
  private factor(): Term {
    return this.binary(["*", "/", "%"], () => this.term());
  }

  // ------------------------------------------------------------ primary terms

  /**
   * Memoised by start position: comprehension-vs-literal backtracking re-parses the
   * same terms, which without the cache costs 2^depth on nested arrays and sets
   * (OPA keeps a parsed-term cache for the same reason).
   */
  term(): Term {
    const start = this.pos;
    const cached = this.termCache.get(start);
    if (cached) {
      if ("error" in cached) {
        this.pos = cached.end;
        throw cached.error;
      }
      this.pos = cached.end;
      return cached.term;
    }
    if (++this.depth > MAX_DEPTH) this.fail("expression nested too deeply");
    try {
      const term = this.termUncached();
      this.termCache.set(start, { term, end: this.pos });
      return term;
    } catch (e) {
      if (e instanceof ParseFailure) this.termCache.set(start, { error: e, end: this.pos });
      throw e;
    } finally {
      this.depth--;
    }
  }

  private termUncached(): Term {
    const t = this.tok;
    const location = this.loc(t);
    let term: Term;
    switch (t.kind) {
      case "number":
        this.next();
        // Go's big.Float would read "00" as 0; OPA rejects multiple leading zeros.
        if (/^00/.test(t.text)) this.fail("expected number", t);
        term = { value: { type: "number", value: t.text }, location };
        break;
      case "string":
      case "rawstring":
        this.next();
        term = { value: { type: "string", value: t.text }, location };
        break;
      case "template":
        this.next();
        term = { value: this.templateValue(t), location };
        break;
      case "ident":
        this.next();
        if (startsRef(t, this.tok)) term = { value: { type: "var", value: t.text }, location };
        else if (t.text === "null") term = { value: { type: "null" }, location };
        else if (t.text === "true" || t.text === "false") term = { value: { type: "boolean", value: t.text === "true" }, location };
        else {
          // `contains` names a builtin too (contains(s, sub)); other keywords cannot be vars.
          if (this.isKeyword(t.text) && t.text !== "contains") this.fail(`unexpected ${t.text} keyword`, t);
          term = { value: { type: "var", value: t.text }, location };
        }
        break;
      case "punct":
        if (t.text === "-" || t.text === ".") {
          term = this.signedNumber();
        } else if (t.text === "[") {
          term = this.array();
        } else if (t.text === "{") {
          term = this.setOrObject();
        } else if (t.text === "(") {
          this.next();
          term = this.termInfix(true);
          if (!this.is(")")) this.fail("non-terminated expression", this.tok);
          this.next();
        } else {
          this.unexpected("term");
        }
        break;
      default:
        this.unexpected("term");
    }
    return this.refTail(term);
  }

  /** `-1`, `-.5`, `.5`: OPA reads a leading sign or dot as part of a number only. */
  private signedNumber(): Term {
    const first = this.next();
    let prefix = first.text === "-" ? "-" : ".";
    if (first.text === "-" && this.is(".")) {
      this.next();
      prefix += ".";
    }
    const n = this.tok;
    if (n.kind !== "number" || (prefix.endsWith(".") && n.wsBefore)) this.fail("expected number", n);
    this.next();
    let text = prefix + n.text;
    if (text.startsWith("-.")) text = "-0." + text.slice(2);
    else if (text.startsWith(".")) text = "0" + text;
    if (/^-?00/.test(text)) this.fail("expected number", n);
    return { value: { type: "number", value: text }, location: this.loc(first) };
  }

  /** Ref continuations and calls that touch the preceding term: `.x`, `[i]`, `(args)`. */
  private refTail(head: Term, gapBeforeFirst = false): Term {
    let term = head;
    let gapAllowed = gapBeforeFirst;
    while ((gapAllowed || !this.tok.wsBefore) && (this.is(".") || this.is("[") || this.is("("))) {
      gapAllowed = false;
      const t = this.next();
      if (t.text === ".") {
        const id = this.tok;
        if (id.kind !== "ident" || id.wsBefore) this.unexpected("identifier");
        this.next();
        term = appendRef(term, { value: { type: "string", value: id.text }, location: this.loc(id) });
      } else if (t.text === "[") {
        const index = this.termInfix(false);
        this.expect("]");
        term = appendRef(term, index);
      } else {
        const tv = term.value.type;
        if (tv !== "var" && tv !== "ref") this.fail("illegal call: operator must be a name", t);
        const args: Term[] = [];
        while (!this.is(")")) {
          args.push(this.termInfix(false));
          if (!this.is(",")) break;
          this.next();
        }
        this.expect(")");
        if (tv === "var" && (term.value as { value: string }).value === "set" && args.length === 0) {
          term = { value: { type: "set", value: [] }, location: term.location };
        } else {
          const op: Term = tv === "ref" ? term : { value: { type: "ref", value: [term] }, location: term.location };
          term = { value: { type: "call", value: [op, ...args] }, location: term.location };
        }
      }
    }
    return term;
  }

  /** Comma-separated infix terms up to `end` (a trailing comma is allowed). */
  private termList(end: string): Term[] {
    const terms: Term[] = [];
    while (!this.is(end)) {
      terms.push(this.termInfix(false));
      if (!this.is(",")) break;
      this.next();
    }
    this.expect(end);
    return terms;
  }

  /**
   * Comprehension first (`[x | body]`), as OPA does: its head is a single term, so
   * `[a | b]` is a comprehension and `[a | b, c]` an array holding `a | b`.
   */
  private tryComprehension<T>(attempt: () => T): { ok: true; value: T } | { ok: false; error: ParseFailure; pos: number } {
    const save = this.pos;
    try {
      const value = attempt();
      if (value === undefined) this.pos = save;
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      const pos = this.pos;
      this.pos = save;
      return { ok: false, error: e, pos };
    }
  }

  private array(): Term {
    const open = this.next();
    const location = this.loc(open);
    if (this.is("]")) {
      this.next();
      return { value: { type: "array", value: [] }, location };
    }
    let leadingComma = false;
    if (this.is(",")) {
      leadingComma = true;
      this.next();
    }
    let failed: { error: ParseFailure; pos: number } | undefined;
    if (!leadingComma) {
      const r = this.tryComprehension(() => {
        const head = this.term();
        if (!this.is("|")) return undefined;
        this.next();
        const body = this.body("]");
        if (body.length === 0) this.fail("found empty body", this.tok);
        this.expect("]");
        const value: Value = { type: "arraycomprehension", term: head, body };
        return value;
      });
      if (r.ok && r.value) return { value: r.value, location };
      if (!r.ok) failed = r;
    }
    return this.fallback(failed, () => ({ value: { type: "array", value: this.termList("]") }, location }));
  }

  /** Parse the plain form; if that fails too, report whichever attempt got further. */
  private fallback(failed: { error: ParseFailure; pos: number } | undefined, plain: () => Term): Term {
    const save = this.pos;
    try {
      return plain();
    } catch (e) {
      if (!(e instanceof ParseFailure) || !failed) throw e;
      if (failed.pos > this.pos) {
        this.pos = save;
        throw failed.error;
      }
      throw e;
    }
  }

  private setOrObject(): Term {
    const open = this.next();
    const location = this.loc(open);
    if (this.is("}")) {
      this.next();
      return { value: { type: "object", value: [] }, location };
    }
    let leadingComma = false;
    if (this.is(",")) {
      leadingComma = true;
      this.next();
    }
    let failed: { error: ParseFailure; pos: number } | undefined;
    if (!leadingComma) {
      const r = this.tryComprehension((): Value | undefined => {
        const head = this.term();
        if (this.is("|")) {
          this.next();
          const body = this.body("}");
          if (body.length === 0) this.fail("found empty body", this.tok);
          this.expect("}");
          return { type: "setcomprehension", term: head, body };
        }
        if (this.is(":")) {
          this.next();
          const value = this.term();
          if (!this.is("|")) return undefined;
          this.next();
          const body = this.body("}");
          if (body.length === 0) this.fail("found empty body", this.tok);
          this.expect("}");
          return { type: "objectcomprehension", key: head, value, body };
        }
        return undefined;
      });
      if (r.ok && r.value) return { value: r.value, location };
      if (!r.ok) failed = r;
    }
    return this.fallback(failed, () => {
      const first = this.termInfix(false);
      if (this.is(":")) {
        this.next();
        const pairs: Array<[Term, Term]> = [[first, this.termInfix(false)]];
        while (this.is(",")) {
          this.next();
          if (this.is("}")) break;
          const k = this.termInfix(false);
          this.expect(":");
          pairs.push([k, this.termInfix(false)]);
        }
        this.expect("}");
        return { value: { type: "object", value: pairs }, location };
      }
      const items = [first];
      if (this.is(",")) {
        this.next();
        items.push(...this.termList("}"));
      } else {
        this.expect("}");
      }
      return { value: { type: "set", value: items }, location };
    });
  }

  private templateValue(t: Token): Value {
    const parts: Array<Term | Expr> = [];
    for (const part of t.parts ?? []) {
      if (part.kind === "text") {
        parts.push({ value: { type: "string", value: part.value }, location: this.loc(t) });
        continue;
      }
      // Interpolations nest inside this term: the sub-parser inherits the depth budget.
      const sub = new Parser(part.tokens, this.file, this.depth);
      if (sub.tok.kind === "eof") this.fail("empty template string interpolation", t);
      const expr = sub.literal();
      if (!sub.atEof()) sub.unexpected("'}' closing the interpolation");
      parts.push(expr);
    }
    return { type: "templatestring", parts, multiLine: t.multiLine ?? false };
  }
}

// ------------------------------------------------------------ constructors

/** v0 `p[x]` (no value) as v1's `p contains x`: the last ref operand becomes the element. */
function asPartialSet(head: Head): void {
  head.contains = true;
  head.ref = head.ref.slice(0, -1);
}

function trueExpr(location: Location): Expr {
  return makeExpr({ value: { type: "boolean", value: true }, location }, location);
}

function makeExpr(terms: Expr["terms"], location: Location): Expr {
  return { terms, negated: false, with: [], index: 0, location };
}

/** `plus` -> ref [var plus]; `internal.member_2` -> ref [var internal, string "member_2"]. */
function operatorTerm(name: string, location: Location): Term {
  const [head, ...rest] = name.split(".");
  const parts: Term[] = [{ value: { type: "var", value: head }, location }];
  for (const r of rest) parts.push({ value: { type: "string", value: r }, location });
  return { value: { type: "ref", value: parts }, location };
}

function callTerm(op: Term, args: Term[], location: Location): Term {
  return { value: { type: "call", value: [op, ...args] }, location };
}

function appendRef(term: Term, operand: Term): Term {
  if (term.value.type === "ref") return { value: { type: "ref", value: [...term.value.value, operand] }, location: term.location };
  return { value: { type: "ref", value: [term, operand] }, location: term.location };
}

/** Dotted name of an operator ref (`internal.member_2`), "" when not a plain name. */
export function refName(term: Term): string {
  if (term.value.type === "var") return term.value.value;
  if (term.value.type !== "ref") return "";
  const names: string[] = [];
  for (const [i, p] of term.value.value.entries()) {
    if (i === 0 && p.value.type === "var") names.push(p.value.value);
    else if (i > 0 && p.value.type === "string") names.push(p.value.value);
    else return "";
  }
  return names.join(".");
}

function startsRef(t: Token, next: Token): boolean {
  return next.kind === "punct" && next.text === "." && !next.wsBefore;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "eof token";
    case "ident":
      return KEYWORDS.has(t.text) ? `${t.text} keyword` : `ident token ${t.text}`;
    case "number":
      return `number token ${t.text}`;
    case "string":
    case "rawstring":
    case "template":
      return "string token";
    case "punct":
      return `${t.text} token`;
    default:
      return `token ${JSON.stringify(t.text)}`;
  }
}
