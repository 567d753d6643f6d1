// GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), the format
// conftest calls `github`. One annotation per control and repository line, not per subject:
// a run shows at most 10 errors and 10 warnings per step, and a 100k-account estate fails
// thousands of subjects on the same source entry. Excepted findings are not annotated.
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Severity } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import { severityRank } from "../control-summary.ts";
import { loadRepositoryLocations, type RepositoryLocations } from "../repository-locations.ts";
import type { FindingsOutput } from "./output.ts";


export const githubOutput: FindingsOutput = {
  kind: "findings",
  name: "github",
  files: ["annotations.txt"],
  render: ({ findings, repository, rootDir }) => ({ "annotations.txt": renderGithubAnnotations(findings, { locations: loadRepositoryLocations(repository ?? {}), rootDir }) }),
};

const command: Record<Severity, "error" | "warning" | "notice"> = { critical: "error", high: "error", medium: "warning", low: "notice", info: "notice" };

/** Subjects named in one annotation before "and N more". */
const namedSubjects = 5;

export interface GithubAnnotationOptions {
  locations: RepositoryLocations;
  /** The repository root annotation paths are relative to (GITHUB_WORKSPACE; default: the working directory). */
  rootDir?: string;
}

export function renderGithubAnnotations(findings: readonly Finding[], options: GithubAnnotationOptions): string {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const groups = new Map<string, { finding: Finding; file?: string; line?: number; subjects: string[] }>();
  for (const f of findings) {
    if (f.status !== "fail" || f.excepted) continue;
    const at = options.locations.source(f.subject.source) ?? options.locations.control(f.controlId);
    const file = at ? repositoryPath(at.file, rootDir) : undefined;
    const key = `${f.controlId}\0${file ?? ""}\0${at?.line ?? ""}\0${f.subject.source}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { finding: f, file, line: file ? at?.line : undefined, subjects: [] }));
    group.subjects.push(f.subject.name);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => severityRank[b.finding.severity] - severityRank[a.finding.severity] || a.finding.controlId.localeCompare(b.finding.controlId),
  );
  return ordered.map(({ finding: f, file, line, subjects }) => {
    const properties = [file ? `file=${escapeProperty(file)}` : "", line ? `line=${line}` : "", `title=${escapeProperty(`${f.controlId} (${f.severity}): ${f.title}`)}`];
    const names = subjects.slice(0, namedSubjects).join(", ") + (subjects.length > namedSubjects ? ` and ${subjects.length - namedSubjects} more` : "");
    const message =
      subjects.length === 1
        ? `${f.message}\nRemediation: ${f.remediation}`
        : `${subjects.length} failing subjects in ${f.subject.source}: ${names}\nRemediation: ${f.remediation}`;
    return `::${command[f.severity]} ${properties.filter(Boolean).join(",")}::${escapeData(message)}\n`;
  }).join("");
}

/** Relative to the repository root, with forward slashes; files outside it get no file property. */
function repositoryPath(file: string, rootDir: string): string | undefined {
  const rel = relative(rootDir, resolve(file));
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

// The escaping of @actions/core's command.ts: data escapes % CR LF; properties also : and ,.
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
