// `npm run bench [-- SUITE...]`: runs bench/<suite>/main.ts for each suite named, or every
// suite when none is named. Each suite prints its own markdown table.
import { readdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "main.ts")))
  .map((d) => d.name)
  .sort();
const args = process.argv.slice(2);
const suites = args.filter((a) => !a.startsWith("-"));
const passThrough = args.filter((a) => a.startsWith("-"));
for (const s of suites) {
  if (!available.includes(s)) {
    process.stderr.write(`unknown benchmark suite '${s}'; available: ${available.join(", ")}\n`);
    process.exit(2);
  }
}
for (const suite of suites.length ? suites : available) {
  process.stdout.write(`\n## bench: ${suite}\n\n`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, suite, "main.ts"), ...passThrough], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
