/**
 * Locates and reads the OPA conformance suite (its `modules` and `query` strings).
 * CREDGOV_CONFORMANCE_DIR overrides the default location next to the repository.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export interface SuiteCase {
  note: string;
  file: string;
  modules: string[];
  query?: string;
  wantErrorCode?: string;
}

const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

export function conformanceDir(): string {
  return resolve(REPO_ROOT, process.env.CREDGOV_CONFORMANCE_DIR ?? "../shared/conformance/opa-v1");
}

export function suiteAvailable(): boolean {
  return existsSync(conformanceDir());
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return walk(p);
      return p.endsWith(".json") ? [p] : [];
    });
}

export function loadCases(): SuiteCase[] {
  const dir = conformanceDir();
  const out: SuiteCase[] = [];
  for (const file of walk(dir)) {
    const doc = JSON.parse(readFileSync(file, "utf8")) as { cases?: Array<Record<string, unknown>> };
    for (const c of doc.cases ?? []) {
      out.push({
        note: String(c.note),
        file: file.slice(dir.length + 1),
        modules: Array.isArray(c.modules) ? c.modules.map(String) : [],
        query: typeof c.query === "string" ? c.query : undefined,
        wantErrorCode: typeof c.want_error_code === "string" ? c.want_error_code : undefined,
      });
    }
  }
  return out;
}
