// The policy library judges the baseline itself: a pull request that lowers a declared value
// below a control's threshold fails, with each finding located on the baseline line that
// declares the weak value.
import type { Catalog } from "../../policy/catalog/types.ts";
import { evaluateSnapshot, type Finding, type Thresholds } from "../../policy/engine/index.ts";
import { declaredSnapshot } from "./declared-snapshot.ts";
import type { Baseline, BaselineLocation } from "./types.ts";

export interface BaselineCheck {
  finding: Finding;
  /** The baseline lines that declare what the control failed on, in file order. */
  locations: BaselineLocation[];
  /** Baseline fields, parallel to `locations`. */
  settings: string[];
}

export interface BaselineCheckOptions {
  catalog: Catalog;
  thresholds?: Partial<Thresholds>;
  now: string;
  policyDirs?: string[];
  builtin?: boolean;
  warn?: (message: string) => void;
}

export async function checkBaseline(baseline: Baseline, options: BaselineCheckOptions): Promise<BaselineCheck[]> {
  const declared = declaredSnapshot(baseline, options.now);
  const evaluation = await evaluateSnapshot(declared.snapshot, {
    catalog: options.catalog,
    thresholds: options.thresholds,
    now: options.now,
    builtin: options.builtin,
    policyDirs: options.policyDirs,
    warn: options.warn,
  });
  const checks: BaselineCheck[] = [];
  for (const finding of evaluation.findings) {
    if (finding.status !== "fail") continue;
    // A failure on scaffolding that stands for no declared value says nothing about the baseline.
    const paths = pathsOf(finding, declared.declaredAt, declared.settingsAt, baseline);
    if (paths.length === 0) continue;
    const located = paths.map((path) => ({ location: baseline.locate(path), setting: fieldName(path.slice(2)) })).sort((a, b) => a.location.line - b.location.line);
    checks.push({ finding, locations: located.map((l) => l.location), settings: located.map((l) => l.setting) });
  }
  return checks;
}

type Path = (string | number)[];

function pathsOf(finding: Finding, declaredAt: Map<string, Path>, settingsAt: Map<string, Map<string, Path>>, baseline: Baseline): Path[] {
  const direct = declaredAt.get(finding.subject.id);
  if (direct && direct.length > 2) {
    // A declared policy or secret: the line of the value the control reports (minLength), when declared.
    const declared = valueAt(baseline.document, direct);
    const key = declared && typeof declared === "object" ? Object.keys(finding.evidence).find((k) => k in declared) : undefined;
    return [key ? [...direct, key] : direct];
  }
  // A source-level finding (2FA, writeback, krbtgt): the declared settings its evidence names.
  const settings = settingsAt.get(finding.subject.source);
  if (!settings) return [];
  return Object.keys(finding.evidence).flatMap((key) => (settings.has(key) ? [settings.get(key) as Path] : []));
}

function valueAt(document: unknown, path: readonly (string | number)[]): unknown {
  let node = document;
  for (const segment of path) node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

function fieldName(segments: (string | number)[]): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out || "directory";
}
