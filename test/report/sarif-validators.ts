// Validators the SARIF tests share: the OASIS JSON Schema (ajv) and Microsoft's SARIF Multitool.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { Log } from "sarif";

// The official OASIS schema is draft-04; ajv 8 reads it as draft-07 once its draft-04 `id`
// and `$schema` header are dropped (it uses no other draft-04-only keyword).
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as Record<string, unknown>;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** Microsoft's SARIF Multitool with GitHub's ingestion rules: the problems it reports (none = accepted). */
export function multitoolProblems(file: string): Array<{ ruleId: string; message: unknown }> {
  const binary = createRequire(import.meta.url).resolve("@microsoft/sarif-multitool-linux/Sarif.Multitool");
  const out = `${file}.validation.sarif`;
  const r = spawnSync(binary, ["validate", file, "--rule-kind", "Gh;Sarif", "--output", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`Sarif.Multitool failed (${r.status}): ${r.error ?? ""}${r.stdout}${r.stderr}`);
  const log = JSON.parse(readFileSync(out, "utf8")) as Log;
  return (log.runs[0].results ?? []).map((x) => ({ ruleId: x.ruleId ?? "", message: x.message }));
}

