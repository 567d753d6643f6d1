// Mutation fuzzer for the command line (a dev script, not a test: it is random and slow). It takes
// the bundled valid inputs (demo estate, test fixtures), breaks one file per case (truncation, byte
// flips, lines deleted or repeated, JSON values of the wrong type, huge numbers, BOMs, CRLF, NUL
// bytes, invalid UTF-8, deep nesting, duplicate keys, YAML alias bombs, unknown keys, Rego tokens
// in odd places, a file left out), runs the credgov command that reads it in-process, and sorts
// what comes back into failure classes: a stack trace or JavaScript error in the output, an
// internal error, an exit code outside 0-3, a hang, an input error that does not name the file (or
// its line or field), and broken input read as if nothing were wrong.
//
//   node test/fuzz/cli-fuzz.ts --seed 1 --count 300 [--target entra,config] [--keep DIR] [--case N]
//
// The same seed and count give the same cases; --case N reruns case N alone and prints its
// output; --keep DIR saves each failing case's folder there to reproduce it by hand.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { main } from "../../src/cli/main.ts";
import { JournalWriter, newSalt } from "../../src/rotation/journal.ts";
import { seededRandom } from "../seeded-random.ts";

const root = new URL("../../", import.meta.url).pathname;
const CASE_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: one generator per case, seeded from (seed, case), so --case N
// reproduces case N without running the others.

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations. Each returns the new bytes (null: remove the file) and whether the result is
// certainly invalid for the format (then a success exit is a failure of credgov).

type Format = "json" | "jsonl" | "yaml" | "ldif" | "rego";

interface Mutated {
  bytes: Buffer | null;
  /** The mutated input cannot be read as it was meant; credgov must not exit 0 or 1 on it. */
  broken: boolean;
  /** Two copies of one key with different values: credgov must refuse it (exit 2). */
  duplicateKey?: boolean;
  /** A value changed type: reading it without complaint changes the facts silently. */
  retyped?: boolean;
}

interface Mutation {
  name: string;
  formats: readonly Format[] | "all";
  apply(text: string, bytes: Buffer, r: Random, format: Format): Mutated | undefined;
}

const lines = (text: string) => text.split("\n");

function strictJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ""));
    return true;
  } catch {
    return false;
  }
}

function strictJsonl(text: string): boolean {
  return text.split("\n").every((line) => line.trim() === "" || strictJson(line));
}

/** Certainly not readable as the format: only JSON can be judged by a strict parser here. */
function brokenFor(format: Format, text: string): boolean {
  if (format === "json") return !strictJson(text);
  if (format === "jsonl") return !strictJsonl(text);
  return false;
}

const textMutation = (name: string, formats: Mutation["formats"], edit: (text: string, r: Random, format: Format) => string | undefined): Mutation => ({
  name,
  formats,
  apply(text, _bytes, r, format) {
    const out = edit(text, r, format);
    if (out === undefined) return undefined;
    return { bytes: Buffer.from(out, "utf8"), broken: brokenFor(format, out) };
  },
});

const otherTypes: ReadonlyArray<{ kind: string; value: unknown }> = [
  { kind: "string", value: "x" },
  { kind: "string", value: "" },
  { kind: "number", value: 0 },
  { kind: "number", value: -1 },
  { kind: "number", value: 1.5 },
  { kind: "number", value: 1e308 },
  { kind: "null", value: null },
  { kind: "boolean", value: true },
  { kind: "object", value: {} },
  { kind: "object", value: { a: 1 } },
  { kind: "array", value: [] },
  { kind: "array", value: ["x"] },
];

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(value: unknown, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 40 || out.length > 20_000) return out;
  if (value === null || typeof value !== "object") return out;
  const parent = value as Record<string, unknown> | unknown[];
  for (const [k, v] of Object.entries(parent)) {
    out.push({ parent, key: Array.isArray(parent) ? Number(k) : k });
    slots(v, out, depth + 1);
  }
  return out;
}

function retypeJson(text: string, r: Random, replace: (slot: Slot, old: unknown) => unknown): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
  const all = [{ parent: [doc] as unknown[], key: 0 } as Slot, ...slots(doc)];
  const slot = r.pick(all);
  const old = (slot.parent as Record<string | number, unknown>)[slot.key];
  (slot.parent as Record<string | number, unknown>)[slot.key] = replace(slot, old);
  return JSON.stringify(all[0].parent[0 as never], null, 2);
}

const HUGE = "\u0000HUGE\u0000";

const mutations: Mutation[] = [
  // A journal cut short is a crash mid-append: its torn last record is ignored by design.
  {
    name: "truncate",
    formats: "all",
    apply(t, _b, r, format) {
      if (t.length === 0) return undefined;
      const out = t.slice(0, r.int(t.length));
      return { bytes: Buffer.from(out), broken: format !== "jsonl" && brokenFor(format, out) };
    },
  },
  {
    name: "flip-byte",
    formats: "all",
    apply(_t, bytes, r, format) {
      if (bytes.length === 0) return undefined;
      const out = Buffer.from(bytes);
      for (let n = 1 + r.int(3); n > 0; n--) out[r.int(out.length)] = r.int(256);
      return { bytes: out, broken: brokenFor(format, out.toString("utf8")) || !out.equals(Buffer.from(out.toString("utf8"), "utf8")) };
    },
  },
  textMutation("delete-line", "all", (t, r) => {
    const l = lines(t);
    if (l.length < 2) return undefined;
    l.splice(r.int(l.length), 1);
    return l.join("\n");
  }),
  textMutation("duplicate-line", "all", (t, r) => {
    const l = lines(t);
    const i = r.int(l.length);
    l.splice(i, 0, l[i]);
    return l.join("\n");
  }),
  textMutation("empty", "all", () => ""),
  textMutation("whitespace-only", "all", () => " \n\n"),
  textMutation("bom", "all", (t) => "\uFEFF" + t),
  textMutation("crlf", "all", (t) => t.replace(/\r?\n/g, "\r\n")),
  // YAML allows no raw control character, LDIF writes a value holding NUL in base64.
  {
    name: "nul",
    formats: "all",
    apply(t, _b, r, format) {
      const at = r.int(t.length + 1);
      const out = t.slice(0, at) + "\u0000" + t.slice(at);
      return { bytes: Buffer.from(out, "utf8"), broken: format === "yaml" || format === "ldif" || brokenFor(format, out) };
    },
  },
  {
    name: "invalid-utf8",
    formats: "all",
    apply(_t, bytes, r) {
      const at = r.int(bytes.length + 1);
      const bad = r.pick([Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80])]);
      return { bytes: Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]), broken: true };
    },
  },
  {
    name: "utf16le",
    formats: "all",
    apply(t) {
      return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t.replace(/^\uFEFF/, ""), "utf16le")]), broken: false };
    },
  },
  // A Rego module left out of a folder is a smaller policy set, not a broken one.
  { name: "absent", formats: "all", apply: (_t, _b, _r, format) => ({ bytes: null, broken: format !== "rego" }) },
  {
    name: "json-retype",
    formats: ["json"],
    apply(t, _b, r) {
      const out = retypeJson(t, r, (_s, old) => r.pick(otherTypes.filter((o) => o.kind !== kindOf(old))).value);
      return out === undefined ? undefined : { bytes: Buffer.from(out), broken: false, retyped: true };
    },
  },
  {
    name: "json-huge-number",
    formats: ["json"],
    apply(t, _b, r) {
      const out = retypeJson(t, r, () => HUGE);
      if (out === undefined) return undefined;
      const huge = r.pick(["99999999999999999999999", "1e400", "-1e400", "9007199254740993", "1e-400", "-0"]);
      const text = out.replace(JSON.stringify(HUGE), huge);
      return { bytes: Buffer.from(text), broken: false, retyped: true };
    },
  },
  {
    name: "json-deep-nesting",
    formats: ["json", "jsonl"],
    apply(t, _b, r, format) {
      const depth = r.pick([1_000, 100_000]);
      const deep = "[".repeat(depth) + "]".repeat(depth);
      if (format === "jsonl") {
        const l = lines(t);
        l.splice(r.int(l.length), 0, deep);
        return { bytes: Buffer.from(l.join("\n")), broken: false, retyped: true };
      }
      const out = retypeJson(t, r, () => HUGE);
      if (out === undefined) return undefined;
      return { bytes: Buffer.from(out.replace(JSON.stringify(HUGE), deep)), broken: false, retyped: true };
    },
  },
  {
    name: "json-duplicate-key",
    formats: ["json", "jsonl"],
    apply(t, _b, r) {
      // A member line `"key": scalar,` repeated with another value before itself.
      const l = lines(t);
      const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*"[^"]+"\s*:\s*("([^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)\s*,?\s*$/.test(line));
      if (candidates.length === 0) return undefined;
      const { line, i } = r.pick(candidates);
      const key = line.slice(0, line.indexOf(":") + 1);
      const other = JSON.stringify(r.pick(otherTypes).value);
      l.splice(i, 0, `${key} ${other},`);
      return { bytes: Buffer.from(l.join("\n")), broken: false, duplicateKey: true };
    },
  },
  {
    name: "jsonl-retype",
    formats: ["jsonl"],
    apply(t, _b, r) {
      const l = lines(t);
      const i = r.int(l.length);
      if (!strictJson(l[i])) return undefined;
      const out = retypeJson(l[i], r, (_s, old) => r.pick(otherTypes.filter((o) => o.kind !== kindOf(old))).value);
      if (out === undefined) return undefined;
      l[i] = JSON.stringify(JSON.parse(out));
      return { bytes: Buffer.from(l.join("\n")), broken: false, retyped: true };
    },
  },
  textMutation("yaml-retype", ["yaml"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*(- )?[\w.-]+:\s*\S/.test(line) && !/^\s*#/.test(line));
    if (candidates.length === 0) return undefined;
    const { line, i } = r.pick(candidates);
    const key = line.slice(0, line.indexOf(":") + 1);
    l[i] = `${key} ${r.pick(["[]", "{}", "null", "~", '"1"', "1e999", "-1", "99999999999999999999", "true", "[a, b]", "{a: 1}", "2026-13-45", ".nan", "0x10", "''"])}`;
    return l.join("\n");
  }),
  textMutation("yaml-unknown-key", ["yaml"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*[\w.-]+:/.test(line) && !/^\s*#/.test(line));
    if (candidates.length === 0) return undefined;
    const { line, i } = r.pick(candidates);
    const indent = line.match(/^\s*/)![0];
    l.splice(i, 0, `${indent}${r.pick(["unknownKey", "sourcse", "__proto__", "constructor", "version2"])}: 1`);
    return l.join("\n");
  }),
  textMutation("yaml-duplicate-key", ["yaml"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*[\w.-]+:\s*\S/.test(line) && !/^\s*(#|- )/.test(line));
    if (candidates.length === 0) return undefined;
    const { line, i } = r.pick(candidates);
    l.splice(i, 0, line.slice(0, line.indexOf(":") + 1) + " 7");
    return l.join("\n");
  }),
  textMutation("yaml-alias-bomb", ["yaml"], (t) => {
    const bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) bomb.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
    return `${bomb.join("\n")}\n${t.replace(/^version: 1$/m, "version: *a9")}`;
  }),
  textMutation("yaml-deep-nesting", ["yaml"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*[\w.-]+:\s*\S/.test(line) && !/^\s*#/.test(line));
    if (candidates.length === 0) return undefined;
    const { line, i } = r.pick(candidates);
    const depth = 5_000;
    l[i] = `${line.slice(0, line.indexOf(":") + 1)} ${"[".repeat(depth)}${"]".repeat(depth)}`;
    return l.join("\n");
  }),
  textMutation("ldif-value", ["ldif"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^[A-Za-z][\w-]*:{1,2} ?/.test(line) && !/^dn:/i.test(line));
    if (candidates.length === 0) return undefined;
    const { line, i } = r.pick(candidates);
    const attr = line.slice(0, line.indexOf(":"));
    l[i] = `${attr}${r.pick([": ", ":: ", ":< "])}${r.pick(["", "-1", "99999999999999999999999999", "9223372036854775808", "abc", "TRUE", "!!!", "AAAA", "=", "file:///etc/passwd", "0x10", "1e5", "20261345999999.0Z", " leading"])}`;
    return l.join("\n");
  }),
  textMutation("ldif-dn", ["ldif"], (t, r) => {
    const l = lines(t);
    const candidates = l.map((line, i) => ({ line, i })).filter(({ line }) => /^dn:/i.test(line));
    if (candidates.length === 0) return undefined;
    const { i } = r.pick(candidates);
    l[i] = r.pick(["dn:", "dn: ", "dn: ,,,", "dn: CN=x", "dn:: ####", "dn: CN=a\\,b,DC=corp", "dn: =x,DC=y"]);
    return l.join("\n");
  }),
  textMutation("ldif-continuation", ["ldif"], (t, r) => {
    const l = lines(t);
    const i = r.int(l.length);
    l.splice(i, 0, r.pick([" continued", "  ", " ", "-", "changetype: delete", "version: 1", "# comment"]));
    return l.join("\n");
  }),
  textMutation("rego-token", ["rego"], (t, r) => {
    const tokens = ["{", "}", "[", "]", "(", ")", ":=", "=", "==", "if", "contains", "else", "not", "some", "every", "with", "in", "import", "package", "default", '"', "`", "#", ",", ";", "|", "0x", "1e999", "99999999999999999999999999", "input.", "data.", "_", "\\u", '"\\uD800"', "\n", "\t", "\u00e9", "\u0000"];
    const at = r.int(t.length + 1);
    return t.slice(0, at) + r.pick(tokens) + t.slice(at);
  }),
  textMutation("rego-delete-token", ["rego"], (t, r) => {
    const words = [...t.matchAll(/[A-Za-z_][\w]*|:=|[{}[\]()]|"[^"\n]*"/g)];
    if (words.length === 0) return undefined;
    const w = r.pick(words);
    return t.slice(0, w.index) + t.slice(w.index! + w[0].length);
  }),
];

// ---------------------------------------------------------------------------------------------
// Targets: a folder of valid inputs, the files in it a case may break, and the command that
// reads them. Paths are relative to the case folder, which is the working folder of the run.

interface Target {
  name: string;
  /** Writes the valid inputs into dir. */
  prepare(dir: string, shared: Shared): Promise<void> | void;
  /** The files a case may mutate, relative to the case folder, and their format. */
  mutable(dir: string): Array<{ path: string; format: Format }>;
  argv: string[];
  /** Files the docs call optional (docs/exports.md, policies/README.md): leaving one out is not a loss. */
  optional?: readonly string[];
  /** Compare the snapshot a successful collect writes with the valid inputs' snapshot. */
  comparesSnapshot?: string;
}

interface Shared {
  demoSnapshot: string;
  fixtureSnapshot: string;
  fixtureFindings: string;
}

const filesUnder = (dir: string, sub: string, ext: string): string[] =>
  readdirSync(join(dir, sub), { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(ext) && statSync(join(dir, sub, p)).isFile())
    .map((p) => join(sub, p))
    .sort();

const yamlConfig = (sources: string) => `version: 1\nsources:\n${sources}thresholds:\n  rotationDays: 90\n  maxSecretLifetimeDays: 180\n`;

const targets: Target[] = [
  {
    name: "entra",
    prepare(dir) {
      cpSync(join(root, "test/fixtures/entra"), join(dir, "entra"), { recursive: true });
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: t-entra\n    kind: entra\n    dir: entra\n"));
    },
    mutable: (dir) => filesUnder(dir, "entra", ".json").map((path) => ({ path, format: "json" })),
    argv: ["collect", "--config", "credgov.yaml", "--out", "out/snapshot.json"],
    comparesSnapshot: "out/snapshot.json",
  },
  {
    name: "github",
    prepare(dir) {
      cpSync(join(root, "test/fixtures/github"), join(dir, "github"), { recursive: true });
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: t-github\n    kind: github\n    dir: github\n"));
    },
    mutable: (dir) => filesUnder(dir, "github", ".json").map((path) => ({ path, format: "json" })),
    optional: ["github/members-count.json", "github/repos-count.json"],
    argv: ["collect", "--config", "credgov.yaml", "--out", "out/snapshot.json"],
    comparesSnapshot: "out/snapshot.json",
  },
  {
    name: "ad-ldif",
    prepare(dir) {
      cpSync(join(root, "examples/demo/northwind/ad.ldif"), join(dir, "ad.ldif"));
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: t-ad\n    kind: ad\n    file: ad.ldif\n"));
    },
    mutable: () => [{ path: "ad.ldif", format: "ldif" }],
    argv: ["collect", "--config", "credgov.yaml", "--out", "out/snapshot.json"],
    comparesSnapshot: "out/snapshot.json",
  },
  {
    name: "ldap-ldif",
    prepare(dir) {
      cpSync(join(root, "test/fixtures/ldif/openldap-ppolicy.ldif"), join(dir, "ldap.ldif"));
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: t-ldap\n    kind: ldap\n    file: ldap.ldif\n    defaultPolicyDN: cn=default,ou=policies,dc=legacy,dc=test\n    ownerAttributes: [seeAlso]\n"));
    },
    mutable: () => [{ path: "ldap.ldif", format: "ldif" }],
    argv: ["collect", "--config", "credgov.yaml", "--out", "out/snapshot.json"],
    comparesSnapshot: "out/snapshot.json",
  },
  {
    name: "config",
    prepare(dir) {
      cpSync(join(root, "test/fixtures/entra"), join(dir, "entra"), { recursive: true });
      cpSync(join(root, "test/fixtures/ldif/openldap-ppolicy.ldif"), join(dir, "ldap.ldif"));
      const demo = readFileSync(join(root, "examples/demo/credgov.yaml"), "utf8");
      const sources = "  - id: t-entra\n    kind: entra\n    dir: entra\n  - id: t-ldap\n    kind: ldap\n    file: ldap.ldif\n    defaultPolicyDN: cn=default,ou=policies,dc=legacy,dc=test\n    ownerAttributes: [seeAlso, manager]\n";
      writeFileSync(join(dir, "credgov.yaml"), demo.replace(/^sources:\n(?:[ #].*\n)*/m, `sources:\n${sources}`) + "correlation:\n  links: []\n");
    },
    mutable: () => [{ path: "credgov.yaml", format: "yaml" }],
    argv: ["collect", "--config", "credgov.yaml", "--out", "out/snapshot.json"],
    comparesSnapshot: "out/snapshot.json",
  },
  {
    name: "snapshot-validate",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
    },
    mutable: () => [{ path: "snapshot.json", format: "json" }],
    argv: ["snapshot", "validate", "snapshot.json"],
  },
  {
    name: "evaluate",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
    },
    mutable: () => [{ path: "snapshot.json", format: "json" }],
    argv: ["evaluate", "--snapshot", "snapshot.json", "--out", "out", "--format", "json", "--fail-on", "none"],
  },
  {
    name: "exceptions",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
      cpSync(join(root, "examples/demo/exceptions.yaml"), join(dir, "exceptions.yaml"));
    },
    mutable: () => [{ path: "exceptions.yaml", format: "yaml" }],
    argv: ["evaluate", "--snapshot", "snapshot.json", "--exceptions", "exceptions.yaml", "--out", "out", "--format", "json", "--fail-on", "none", "--now", "2026-06-01T00:00:00Z"],
  },
  {
    name: "baseline",
    prepare(dir, shared) {
      cpSync(shared.demoSnapshot, join(dir, "snapshot.json"));
      cpSync(join(root, "examples/demo/baseline.yaml"), join(dir, "baseline.yaml"));
    },
    mutable: () => [{ path: "baseline.yaml", format: "yaml" }],
    argv: ["drift", "--snapshot", "snapshot.json", "--baseline", "baseline.yaml", "--out", "out"],
  },
  {
    name: "drift-since",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
      cpSync(shared.fixtureSnapshot, join(dir, "earlier.json"));
    },
    mutable: () => [{ path: "earlier.json", format: "json" }],
    argv: ["drift", "--snapshot", "snapshot.json", "--since", "earlier.json", "--out", "out"],
  },
  {
    name: "report",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
      cpSync(shared.fixtureFindings, join(dir, "findings.json"));
    },
    mutable: () => [{ path: "findings.json", format: "json" }],
    argv: ["report", "--findings", "findings.json", "--snapshot", "snapshot.json", "--format", "json", "md", "sarif", "junit", "--out", "out"],
  },
  {
    name: "rotate-plan",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
      cpSync(shared.fixtureFindings, join(dir, "findings.json"));
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: corp-ad\n    kind: ad\n    file: ad.ldif\n"));
    },
    mutable: () => [{ path: "findings.json", format: "json" }],
    argv: ["rotate", "plan", "--config", "credgov.yaml", "--findings", "findings.json", "--snapshot", "snapshot.json", "--out", "plan.json"],
  },
  {
    name: "policy-test",
    prepare(dir) {
      mkdirSync(join(dir, "policies"));
      for (const f of ["saas.rego", "saas_test.rego"]) cpSync(join(root, "policies", f), join(dir, "policies", f));
      cpSync(join(root, "policies/lib"), join(dir, "policies/lib"), { recursive: true });
    },
    mutable: (dir) => filesUnder(dir, "policies", ".rego").map((path) => ({ path, format: "rego" })),
    argv: ["policy", "test", "policies"],
  },
  {
    name: "catalog",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "snapshot.json"));
      mkdirSync(join(dir, "custom"));
      writeFileSync(
        join(dir, "custom/custom.rego"),
        'package credgov.custom\n\n# One finding per GitHub source.\nresults contains {"control": "CG-CUST-001", "status": "fail", "subject": {"source": s.id, "kind": "organization", "id": s.id, "name": s.id}, "evidence": {"kind": s.kind}, "message": "m"} if {\n\tsome s in input.sources\n\ts.kind == "github"\n}\n',
      );
      writeFileSync(
        join(dir, "custom/catalog.yaml"),
        "version: 1\ncontrols:\n  - id: CG-CUST-001\n    title: A custom control\n    severity: low\n    package: credgov.custom\n    rationale: tests the catalog reader\n    remediation: none\n    rotation: { eligible: false, rotator: null }\n    mappings: { nist_csf_2: [PR.AA-01], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [A.5.17] }\n",
      );
    },
    mutable: () => [
      { path: "custom/catalog.yaml", format: "yaml" },
      { path: "custom/custom.rego", format: "rego" },
    ],
    // policies/README.md: a control no catalog defines is reported with severity medium, no
    // mappings and a warning.
    optional: ["custom/catalog.yaml"],
    argv: ["evaluate", "--snapshot", "snapshot.json", "--policies", "custom", "--no-builtin-policies", "--out", "out", "--format", "json", "--fail-on", "none", "--allow-incomplete"],
  },
  {
    name: "policy-eval-input",
    prepare(dir, shared) {
      cpSync(shared.fixtureSnapshot, join(dir, "input.json"));
    },
    mutable: () => [{ path: "input.json", format: "json" }],
    argv: ["policy", "eval", "-i", "input.json", "x := count(input.accounts)"],
  },
  {
    name: "merge",
    async prepare(dir) {
      cpSync(join(root, "test/fixtures/entra"), join(dir, "entra"), { recursive: true });
      cpSync(join(root, "test/fixtures/ldif/openldap-ppolicy.ldif"), join(dir, "ldap.ldif"));
      writeFileSync(join(dir, "credgov.yaml"), yamlConfig("  - id: t-entra\n    kind: entra\n    dir: entra\n  - id: t-ldap\n    kind: ldap\n    file: ldap.ldif\n    defaultPolicyDN: cn=default,ou=policies,dc=legacy,dc=test\n    ownerAttributes: [seeAlso]\n"));
      for (const id of ["t-entra", "t-ldap"]) {
        const run = await runCredgov(["collect", "--config", "credgov.yaml", "--source", id, "--out", `parts/${id}.json`], dir);
        if (run.exit !== 0) throw new Error(`collecting part ${id} failed:\n${run.output}`);
      }
    },
    mutable: () => [
      { path: "parts/t-entra.json", format: "json" },
      { path: "parts/t-ldap.json", format: "json" },
    ],
    argv: ["snapshot", "merge", "--config", "credgov.yaml", "parts/t-entra.json", "parts/t-ldap.json", "--out", "merged.json"],
  },
  {
    name: "journal",
    async prepare(dir) {
      const writer = await JournalWriter.create(join(dir, "plan.journal.jsonl"), { type: "run", journalVersion: 1, planDigest: "a".repeat(64), plan: "plan.json", startedAt: "2026-12-06T10:00:00.000Z", fingerprintSalt: newSalt(), host: "h", pid: 1 });
      await writer.append({ type: "session", event: "start", at: "2026-12-06T10:00:00.000Z", command: "apply", pid: 1 });
      await writer.append({ type: "item", item: "corp-ad:u1:password", state: "planned", at: "2026-12-06T10:00:00.000Z", attempt: 1 });
      await writer.append({ type: "item", item: "corp-ad:u1:password", state: "failed", at: "2026-12-06T10:00:01.000Z", attempt: 1, lastGood: "planned", error: { step: "apply", message: "refused", code: "ldap-19", transient: false } });
      await writer.append({ type: "item", item: "corp-ad:u2:password", state: "committed", at: "2026-12-06T10:00:02.000Z", attempt: 1 });
      await writer.close();
    },
    mutable: () => [{ path: "plan.journal.jsonl", format: "jsonl" }],
    argv: ["rotate", "status", "plan.journal.jsonl"],
  },
];

// ---------------------------------------------------------------------------------------------
// Running credgov in-process with its output captured.

interface RunResult {
  exit: number | "threw" | "hang";
  output: string;
  thrown?: unknown;
  cpuMs: number;
}

let stray: unknown[] = [];
process.on("unhandledRejection", (reason) => stray.push(reason));
process.on("uncaughtException", (error) => stray.push(error));

async function runCredgov(argv: string[], cwd: string): Promise<RunResult> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((a) => typeof a === "function") as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  const before = process.cwd();
  process.chdir(cwd);
  const cpu = process.cpuUsage();
  let timer: NodeJS.Timeout | undefined;
  try {
    const exit = await Promise.race([
      main([process.execPath, "credgov", "--no-color", ...argv]),
      new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), CASE_TIMEOUT_MS))),
    ]);
    return { exit, output: chunks.join(""), cpuMs: elapsedCpu(cpu) };
  } catch (thrown) {
    return { exit: "threw", output: chunks.join(""), thrown, cpuMs: elapsedCpu(cpu) };
  } finally {
    clearTimeout(timer);
    process.stdout.write = out;
    process.stderr.write = err;
    process.chdir(before);
  }
}

function elapsedCpu(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Judging one run.

const JS_ERRORS = /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError)\b|Cannot read propert|is not a function|is not iterable|undefined is not|Maximum call stack|Invalid string length|out of memory/;

/** Facts that change run to run (times, durations, temp paths) left out of the comparison. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !/(At|Ms|duration|Duration|endpoint)$/.test(k))
        .map(([k, v]) => [k, comparable(v)]),
    );
  return value;
}

function snapshotFacts(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.stringify(comparable(JSON.parse(readFileSync(path, "utf8"))));
  } catch {
    return undefined;
  }
}

interface Verdict {
  classes: string[];
}

function judge(run: RunResult, file: string, format: Format, m: Mutated, baseExit: number, changedFacts: boolean | undefined): Verdict {
  const classes: string[] = [];
  if (run.exit === "hang") classes.push("hang");
  if (run.exit === "threw") classes.push("main threw");
  else if (typeof run.exit === "number" && ![0, 1, 2, 3].includes(run.exit)) classes.push(`exit ${run.exit}`);
  if (/^\s+at .+(\(|:\d+)/m.test(run.output)) classes.push("stack trace");
  if (/internal error/.test(run.output)) classes.push("internal error");
  else if (JS_ERRORS.test(run.output)) classes.push("JavaScript error text");
  // The error line and what follows it (a list of schema errors, a compiler's list).
  const start = run.output.split("\n").findIndex((l) => l.startsWith("error:"));
  const errors = start < 0 ? [] : run.output.split("\n").slice(start).filter((l) => l.trim() !== "");
  if (run.exit === 2 && errors.length > 0 && !classes.includes("internal error")) {
    const name = basename(file);
    // A Rego module broken or left out may break another module that uses it: any module named
    // with its line is a located error.
    // A file left out may be named by the folder that lacks it.
    const folder = m.bytes === null && dirname(file) !== "." ? dirname(file) : undefined;
    const mentions = errors.filter((l) => l.includes(name) || (folder !== undefined && l.includes(folder)) || (format === "rego" && /\.rego:\d+/.test(l)));
    const wholeDocument = /empty|no content|nothing|is not (a|an) |must be (a|an) (JSON )?(object|array|mapping)|UTF-|encoding|byte-order|is a folder|cannot be read|does not exist|no such file/i;
    if (mentions.length === 0) classes.push("error without the file");
    else if (m.bytes !== null && m.bytes.length > 0 && !mentions.some((l) => new RegExp(`${format === "rego" ? "\\.rego" : escape(name)}(:\\d+| [^ :]+: | \\S*\\[)`).test(l) || wholeDocument.test(l)))
      classes.push(mentions.some((l) => /at (byte|offset|position) \d+/.test(l)) ? "error at a byte offset, not a line" : "error without line or field");
  }
  if (typeof run.exit === "number" && (run.exit === 0 || run.exit === 1)) {
    if (m.bytes === null && m.broken && baseExit !== 3) classes.push("absent file read as complete");
    else if (m.broken && m.bytes !== null) classes.push("broken input accepted");
    if (m.duplicateKey) classes.push("duplicate key accepted");
    if (m.retyped && changedFacts) classes.push("wrong type accepted, facts changed");
    // Not a failure by itself (credgov may not read that value): listed to be looked at.
    if (m.retyped && changedFacts === undefined) classes.push("review: wrong type accepted");
  }
  if (stray.length > 0) {
    classes.push("unhandled rejection");
    stray = [];
  }
  return { classes };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// ---------------------------------------------------------------------------------------------

interface CaseRecord {
  index: number;
  target: string;
  file: string;
  mutation: string;
  exit: RunResult["exit"];
  classes: string[];
  firstError: string;
  cpuMs: number;
}

async function prepareShared(work: string): Promise<Shared> {
  const shared = join(work, "shared");
  mkdirSync(shared, { recursive: true });
  const fixtureSnapshot = join(root, "test/fixtures/snapshots/all-controls.json");
  const demo = await runCredgov(["collect", "--config", join(root, "examples/demo/credgov.yaml"), "--out", join(shared, "demo-snapshot.json")], shared);
  if (demo.exit !== 0) throw new Error(`collecting the demo estate failed:\n${demo.output}`);
  const evaluated = await runCredgov(["evaluate", "--snapshot", fixtureSnapshot, "--out", join(shared, "eval"), "--format", "json", "--fail-on", "none", "--allow-incomplete"], shared);
  if (evaluated.exit !== 0) throw new Error(`evaluating the fixture snapshot failed:\n${evaluated.output}`);
  return { demoSnapshot: join(shared, "demo-snapshot.json"), fixtureSnapshot, fixtureFindings: join(shared, "eval/findings.json") };
}

async function main_(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      count: { type: "string", default: "200" },
      target: { type: "string" },
      case: { type: "string" },
      keep: { type: "string" },
    },
  });
  const seed = Number(values.seed);
  const count = Number(values.count);
  const chosen = values.target ? targets.filter((t) => values.target!.split(",").includes(t.name)) : targets;
  if (chosen.length === 0) throw new Error(`no target named ${values.target}; targets: ${targets.map((t) => t.name).join(", ")}`);
  const work = mkdtempSync(join(tmpdir(), "credgov-cli-fuzz-"));
  const log = (line: string) => process.stderr.write(line + "\n");
  log(`fuzzing ${chosen.map((t) => t.name).join(", ")} with seed ${seed}, ${count} cases, in ${work}`);
  const shared = await prepareShared(work);

  // Each target's valid inputs, run once: their exit code and snapshot are what cases compare with.
  const bases = new Map<string, { dir: string; exit: number; facts?: string }>();
  for (const target of chosen) {
    const dir = join(work, "base", target.name);
    mkdirSync(dir, { recursive: true });
    await target.prepare(dir, shared);
    const copy = join(work, "base-run", target.name);
    cpSync(dir, copy, { recursive: true });
    const run = await runCredgov(target.argv, copy);
    if (typeof run.exit !== "number" || run.exit === 2) throw new Error(`target ${target.name}: the valid inputs do not run (exit ${run.exit}):\n${run.output}`);
    bases.set(target.name, { dir, exit: run.exit, facts: target.comparesSnapshot ? snapshotFacts(join(copy, target.comparesSnapshot)) : undefined });
  }

  const records: CaseRecord[] = [];
  const indices = values.case !== undefined ? [Number(values.case)] : Array.from({ length: count }, (_, i) => i);
  for (const index of indices) {
    const r = new Random(seed * 1_000_003 + index);
    const target = chosen[index % chosen.length];
    const base = bases.get(target.name)!;
    const dir = join(work, "cases", String(index));
    rmSync(dir, { recursive: true, force: true });
    cpSync(base.dir, dir, { recursive: true });
    const files = target.mutable(dir);
    const file = r.pick(files);
    const original = readFileSync(join(dir, file.path));
    const applicable = mutations.filter((m) => m.formats === "all" || m.formats.includes(file.format));
    let mutation = r.pick(applicable);
    let mutated = mutation.apply(original.toString("utf8"), original, r, file.format);
    for (let tries = 0; mutated === undefined && tries < 5; tries++) {
      mutation = r.pick(applicable);
      mutated = mutation.apply(original.toString("utf8"), original, r, file.format);
    }
    if (mutated === undefined) continue;
    if (mutated.bytes === null && target.optional?.includes(file.path)) mutated.broken = false;
    if (mutated.bytes === null) rmSync(join(dir, file.path));
    else writeFileSync(join(dir, file.path), mutated.bytes);
    const run = await runCredgov(target.argv, dir);
    const facts = target.comparesSnapshot && run.exit === 0 ? snapshotFacts(join(dir, target.comparesSnapshot)) : undefined;
    const verdict = judge(run, file.path, file.format, mutated, base.exit, facts === undefined ? undefined : facts !== base.facts);
    const firstError = run.output.split("\n").find((l) => l.startsWith("error:")) ?? "";
    records.push({ index, target: target.name, file: file.path, mutation: mutation.name, exit: run.exit, classes: verdict.classes, firstError, cpuMs: run.cpuMs });
    if (values.case !== undefined) {
      log(`case ${index}: ${target.name} ${file.path} ${mutation.name} -> exit ${run.exit} [${verdict.classes.join(", ")}] in ${dir}`);
      log(run.output);
      if (run.thrown) log(String((run.thrown as Error).stack ?? run.thrown));
    }
    if (verdict.classes.length > 0 && values.keep) cpSync(dir, join(values.keep, `seed${seed}-case${index}`), { recursive: true });
    if (verdict.classes.length === 0 || !values.keep) rmSync(dir, { recursive: true, force: true });
  }
  rmSync(join(work, "cases"), { recursive: true, force: true });
  printSummary(seed, records);
  if (!values.keep && values.case === undefined) rmSync(work, { recursive: true, force: true });
}

function printSummary(seed: number, records: CaseRecord[]): void {
  const byClass = new Map<string, CaseRecord[]>();
  for (const rec of records) for (const c of rec.classes) byClass.set(c, [...(byClass.get(c) ?? []), rec]);
  const failing = records.filter((r) => r.classes.some((c) => !c.startsWith("review:"))).length;
  const cpu = records.reduce((s, r) => s + r.cpuMs, 0) / 1000;
  const exits = new Map<string, number>();
  for (const rec of records) exits.set(String(rec.exit), (exits.get(String(rec.exit)) ?? 0) + 1);
  const lines = [
    `seed ${seed}: ${records.length} cases, ${failing} failing, ${cpu.toFixed(1)} s CPU; exits ${[...exits].map(([e, n]) => `${e}:${n}`).join(" ")}`,
    "",
    "| class | cases | examples (case target file mutation: first error) |",
    "|---|---|---|",
  ];
  for (const [c, recs] of [...byClass].sort((a, b) => b[1].length - a[1].length)) {
    const examples = recs.slice(0, 3).map((r) => `${r.index} ${r.target} ${r.file} ${r.mutation}: ${r.firstError.slice(0, 160) || `exit ${r.exit}`}`);
    lines.push(`| ${c} | ${recs.length} | ${examples.join("<br>")} |`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}

try {
  await main_();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

