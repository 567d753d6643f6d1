// The names a collector declares in a source error's `affects` and the areas the policies
// declare they read must come from one vocabulary (src/snapshot/areas.ts) and must meet: a
// label no policy area matches ("accounts (applications)") blocks nothing, and the control
// would pass on data that was never collected. This test covers every collector and every
// control of the catalog, statically and by evaluating the library.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { entraExports } from "../../../src/collectors/entra/export-files.ts";
import { githubExports, repoExports } from "../../../src/collectors/github/export-files.ts";
import { searchAreas, searchSteps } from "../../../src/collectors/ldap-common/search-areas.ts";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { evaluateSnapshot, type Finding } from "../../../src/policy/engine/index.ts";
import { areasOverlap, isArea } from "../../../src/snapshot/areas.ts";
import type { Snapshot, Source } from "../../../src/snapshot/types.ts";

const root = new URL("../../../", import.meta.url).pathname;

/** Settings a collector records although no built-in policy judges by them (evidence at most). */
const collectedButUnread = new Set([
  "settings.authenticationMethods",
  "settings.functionalLevel",
  "settings.domainName",
  "settings.samlEnabled",
  "settings.syncIntervalMinutes",
  "settings.userForcePasswordChangeOnLogonSynced",
]);

const passwordKinds: Source["kind"][] = ["ad", "ldap", "entra"];

interface Declared {
  kind: Source["kind"];
  name: string;
  where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

/** Every string literal inside an `affects: [...]` in a collector's source. */
function literalAffects(): Declared[] {
  const out: Declared[] = [];
  for (const file of sourceFiles(join(root, "src/collectors"))) {
    const text = readFileSync(file, "utf8");
    const rel = file.slice(root.length);
    const kinds: Source["kind"][] = rel.includes("/entra/") ? ["entra"] : rel.includes("/github/") ? ["github"] : rel.includes("/ad/") ? ["ad"] : rel.includes("/ldap/") ? ["ldap"] : ["ad", "ldap", "entra", "github"];
    for (const m of text.matchAll(/affects:\s*\[([^\]]*)\]/g)) {
      for (const s of m[1].matchAll(/"([^"]*)"/g)) for (const kind of kinds) out.push({ kind, name: s[1], where: rel });
    }
  }
  return out;
}

function declaredAffects(): Declared[] {
  const out: Declared[] = literalAffects();
  for (const f of Object.values(entraExports)) for (const name of f.affects) out.push({ kind: "entra", name, where: f.path });
  for (const f of [...Object.values(githubExports), ...Object.values(repoExports("r"))]) for (const name of f.affects) out.push({ kind: "github", name, where: f.path });
  for (const step of searchSteps) for (const name of searchAreas(step)) for (const kind of ["ad", "ldap"] as const) out.push({ kind, name, where: `LDAP search ${step}` });
  return out;
}

interface ControlReads {
  kinds: string[];
  areas: string[];
}

/** control id -> source kinds and areas, from every lib.coverage / lib.estate_coverage call of the library. */
function policyAreas(): Map<string, ControlReads> {
  const byControl = new Map<string, ControlReads>();
  const strings = (text: string) => [...text.matchAll(/"([^"]*)"/g)].map((s) => s[1]);
  for (const file of readdirSync(join(root, "policies")).filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))) {
    const text = readFileSync(join(root, "policies", file), "utf8");
    for (const m of text.matchAll(/lib\.(?:estate_)?coverage\("([^"]+)",\s*(\{[^}]*\}|[\w.]+),\s*\[([^\]]*)\]/g)) {
      const kinds = m[2] === "lib.password_source_kinds" ? passwordKinds : strings(m[2]);
      expect(kinds.length, `${m[1]}: kinds ${m[2]}`).toBeGreaterThan(0);
      const known = byControl.get(m[1]) ?? { kinds: [], areas: [] };
      byControl.set(m[1], { kinds: [...known.kinds, ...kinds], areas: [...known.areas, ...strings(m[3])] });
    }
  }
  return byControl;
}

describe("area vocabulary shared by collectors and policies", () => {
  const declared = declaredAffects();
  const used = policyAreas();
  const allUsed = [...new Set([...used.values()].flatMap((c) => c.areas))];
  /** Whether a control over sources of `kind` reads an area the name overlaps. */
  const blocksSomething = (kind: string, name: string) => [...used.values()].some((c) => c.kinds.includes(kind) && c.areas.some((area) => areasOverlap(name, area)));

  it("finds the declarations it checks", () => {
    expect(declared.length).toBeGreaterThan(40);
    expect(used.size).toBe(loadCatalog().controls.length);
  });

  it("every control of the catalog declares the areas it reads, all in the vocabulary", () => {
    for (const control of loadCatalog().controls) {
      const reads = used.get(control.id);
      expect(reads, control.id).toBeDefined();
      for (const area of reads!.areas) expect(isArea(area), `${control.id}: ${area}`).toBe(true);
    }
  });

  it("every name a collector declares is in the vocabulary and blocks at least one control", () => {
    const bad = declared.filter((d) => !isArea(d.name)).map((d) => `${d.where}: ${JSON.stringify(d.name)}`);
    expect(bad).toEqual([]);
    const unmatched = declared.filter((d) => !collectedButUnread.has(d.name) && !allUsed.some((area) => areasOverlap(d.name, area)));
    expect(unmatched.map((d) => `${d.where}: ${d.name}`)).toEqual([]);
    // The allow-list stays honest: nothing on it is read by a policy.
    for (const name of collectedButUnread) expect(allUsed.filter((area) => areasOverlap(name, area)), name).toEqual([]);
  });

  it("rejects the labels that used to block nothing", () => {
    for (const label of ["accounts (applications)", "everything from this source", "owner status of credentials", "domain"]) expect(isArea(label), label).toBe(false);
  });

  describe("evaluated: a source error affecting a declared name makes some control report error for that source", () => {
    const cases = [...new Map(declared.filter((d) => blocksSomething(d.kind, d.name)).map((d) => [`${d.kind}|${d.name}`, d])).values()];
    let findings: Finding[];
    beforeAll(async () => {
      const sources: Source[] = cases.map((d, i) => ({
        id: `s${i}`,
        kind: d.kind,
        transport: "file",
        endpoint: d.where,
        collectedAt: "2026-06-01T00:00:00Z",
        status: "partial",
        errors: [{ step: "test", message: `${d.name} not collected`, affects: [d.name] }],
        counts: {},
        queries: [],
      }));
      const snapshot: Snapshot = {
        schemaVersion: 1,
        generatedAt: "2026-06-01T00:00:00Z",
        generator: { name: "credgov", version: "test" },
        sources,
        passwordPolicies: [],
        accounts: [],
        credentials: [],
        resetPaths: [],
        identities: [],
        correlation: { ambiguous: [] },
        settings: Object.fromEntries(sources.map((s) => [s.id, { kind: s.kind }])),
      };
      ({ findings } = await evaluateSnapshot(snapshot, { catalog: loadCatalog() }));
    }, 240_000);

    it("for every declared name some control over that kind of source reads", () => {
      expect(cases.length).toBeGreaterThan(30);
      const blocked = new Set(findings.filter((f) => f.status === "error").map((f) => f.subject.source));
      const passing = cases.filter((_, i) => !blocked.has(`s${i}`)).map((d) => `${d.kind} ${d.name} (${d.where})`);
      expect(passing).toEqual([]);
    });
  });
});
