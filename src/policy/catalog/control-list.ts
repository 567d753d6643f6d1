// `credgov controls`: the catalog as a table for people or JSON for tools.
import type { CatalogControl } from "./types.ts";

const frameworks = [
  ["nist_csf_2", "NIST CSF 2.0"],
  ["owasp_nhi_2025", "OWASP NHI 2025"],
  ["cis_v8", "CIS v8"],
  ["iso27001_2022", "ISO 27001:2022"],
] as const;

export function renderControlList(controls: readonly CatalogControl[], format: "table" | "json"): string {
  if (format === "json") {
    const list = controls.map((c) => ({ id: c.id, severity: c.severity, title: c.title, package: c.package, mappings: c.mappings }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const rows = controls.map((c) => [
    c.id,
    c.severity,
    c.title,
    frameworks.map(([key, label]) => (c.mappings[key].length ? `${label}: ${c.mappings[key].join(" ")}` : "")).filter(Boolean).join("; "),
  ]);
  const header = ["CONTROL", "SEVERITY", "TITLE", "FRAMEWORKS"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) => [r[0].padEnd(widths[0]), r[1].padEnd(widths[1]), r[2].padEnd(widths[2]), r[3]].join("  ").trimEnd();
  return [line(header), ...rows.map(line), "", `${controls.length} control${controls.length === 1 ? "" : "s"}`].join("\n");
}
