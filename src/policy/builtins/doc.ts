// docs/builtins.md, rendered from the builtin table.
import { BUILTINS, RESTRICTED_BUILTINS, ALLOW_BUILTIN_FLAG, type Implementation } from "./table.ts";
import { paramString, typeString } from "./types.ts";

const HOW: Record<Implementation, string> = {
  planner: "compiled away by the front end",
  native: "C runtime, inside the module",
  guard: "C runtime where it can, else the host",
  host: "TypeScript, on the host",
  sdk: "@open-policy-agent/opa-wasm",
};

export function builtinCounts(): Record<Implementation | "total" | "restricted", number> {
  const counts = { total: 0, restricted: 0, planner: 0, native: 0, guard: 0, host: 0, sdk: 0 };
  for (const b of BUILTINS.values()) {
    counts.total++;
    counts[b.implementation]++;
    if (b.restricted) counts.restricted++;
  }
  return counts;
}

export function builtinsDoc(): string {
  const c = builtinCounts();
  const lines = [
    "# Rego builtins",
    "",
    "Generated from the builtin table (`src/policy/builtins/table.ts`) by `node scripts/generate-builtins-doc.ts`; do not edit.",
    "",
    `credgov declares ${c.total} builtins: every builtin of OPA's capabilities.json (v1.20.2, the latest stored in`,
    "`test/policy/rego/builtins/`), with OPA's argument and result types, plus `test.sleep` and `internal.coverage`.",
    `All are implemented: ${c.native} natively in the C runtime, ${c.guard} by the runtime with the host as fallback,`,
    `${c.host} on the host, ${c.sdk} by the OPA Wasm SDK, ${c.planner} compiled away by the front end.`,
    `${c.restricted} are off by default because ${Object.entries(RESTRICTED_BUILTINS)
      .map(([n, why]) => `\`${n}\` ${why.replace(/^it /, "")}`)
      .join(", ")}; allow one with \`${ALLOW_BUILTIN_FLAG} NAME\` on any \`credgov policy\` command.`,
    "",
    "| builtin | arguments -> result | runs | notes |",
    "|---|---|---|---|",
  ];
  for (const b of [...BUILTINS.values()].sort((x, y) => x.name.localeCompare(y.name))) {
    const args = b.decl.variadic ? `${typeString(b.decl.variadic)}...` : (b.decl.args ?? []).map(paramString).join(", ");
    const result = b.decl.result ? paramString(b.decl.result) : "-";
    const notes = [b.restricted ? `off by default (${ALLOW_BUILTIN_FLAG})` : "", b.deprecated ? "deprecated" : "", b.nondeterministic ? "nondeterministic" : ""]
      .filter(Boolean)
      .join(", ");
    lines.push(`| \`${b.name}\` | ${`(${args}) -> ${result}`.replaceAll("|", "\\|")} | ${HOW[b.implementation]} | ${notes} |`);
  }
  return `${lines.join("\n")}\n`;
}
