// The rotation stage as library functions (the `rotate` CLI and `scan` triggers call these):
// plan, apply an approved plan, resume a journal, status, and the rotation report.
import { readFile } from "node:fs/promises";
import { UserInputError } from "../errors.ts";
import type { CredgovConfig, DirectorySourceConfig } from "../config/types.ts";
import type { Finding } from "../policy/engine/finding.ts";
import type { Snapshot } from "../snapshot/types.ts";
import { writeFileAtomically } from "../io/atomic-write.ts";
import { parseAccountSelector } from "./account-selector.ts";
import { planFromFindings, planFromSelector } from "./build-plan.ts";
import type { RotationEvent } from "./events.ts";
import { hookDispatcher } from "./hooks/dispatch.ts";
import { readJournal, type JournalContents } from "./journal.ts";
import { planDigest, type Plan, type RotatorKind } from "./plan.ts";
import { buildRotationReport, renderRotationMarkdown, type RotationReport } from "./report.ts";
import { rotationSettings, type RotationSettings } from "./rotation-config.ts";
import type { Rotator } from "./rotator.ts";
import { rotatorFactories } from "./rotators/registry.ts";
import { applyPlan, resumeRun, type RunOutcome } from "./runner.ts";
import { createSink } from "./sinks/create-sink.ts";

export interface RotationEnvironment {
  config: CredgovConfig;
  env: NodeJS.ProcessEnv;
  version: string;
  log: (message: string) => void;
  warn: (message: string) => void;
}

/** One rotator per live source whose kind has one; built without I/O. */
export function buildRotators(config: CredgovConfig, env: NodeJS.ProcessEnv): Map<string, Rotator> {
  const rotators = new Map<string, Rotator>();
  for (const source of config.sources) {
    const factory = rotatorFactories[source.kind as RotatorKind];
    const live = source.kind === "ad" || source.kind === "ldap" ? typeof (source as DirectorySourceConfig).url === "string" : true;
    if (factory && live) rotators.set(source.id, factory({ source, configDir: config.dir, env }));
  }
  return rotators;
}

export interface PlanRequest {
  snapshot: Snapshot;
  snapshotPath: string;
  findings?: { findings: Finding[]; path: string; controls?: string[]; subjects?: string[] };
  accounts?: string;
}

export function createPlan(environment: RotationEnvironment, request: PlanRequest): Plan {
  const settings = rotationSettings(environment.config);
  const rotators = buildRotators(environment.config, environment.env);
  const input = { snapshot: request.snapshot, snapshotPath: request.snapshotPath, rotators, sinkKind: settings.sink?.kind ?? "age-file", generatorVersion: environment.version };
  if (request.accounts !== undefined) return planFromSelector(input, parseAccountSelector(request.accounts));
  if (!request.findings) throw new UserInputError("give --findings (rotate what failed) or --accounts SELECTOR (mass reset)");
  return planFromFindings(input, { findings: request.findings.findings, findingsPath: request.findings.path, controls: request.findings.controls, subjects: request.findings.subjects });
}

/** Writes the plan; returns its digest (the approval token). */
export async function writePlan(path: string, plan: Plan): Promise<string> {
  const text = JSON.stringify(plan, null, 2) + "\n";
  await writeFileAtomically(path, [text]);
  return planDigest(text);
}

export async function readPlan(path: string): Promise<{ plan: Plan; digest: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserInputError(`cannot read the plan: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, { file: path });
  }
  let plan: Plan;
  try {
    plan = JSON.parse(bytes.toString("utf8")) as Plan;
  } catch {
    throw new UserInputError("not a rotation plan (invalid JSON)", { file: path });
  }
  if (plan?.planVersion !== 1 || !Array.isArray(plan.items)) throw new UserInputError("not a version 1 rotation plan (planVersion, items)", { file: path });
  return { plan, digest: planDigest(bytes) };
}

export function eventSender(environment: RotationEnvironment, settings: RotationSettings = rotationSettings(environment.config)): (event: RotationEvent) => Promise<void> {
  checkHookKeys(environment.config, environment.env, settings);
  return hookDispatcher(settings.hooks, environment.env, environment.warn);
}

/** A webhook's signing key must be set before any work that ends in an event (exit 2). */
export function checkHookKeys(config: CredgovConfig, env: NodeJS.ProcessEnv, settings: RotationSettings = rotationSettings(config)): void {
  for (const [index, hook] of settings.hooks.entries()) {
    if (hook.kind === "webhook" && hook.secretEnv && !env[hook.secretEnv]) {
      throw new UserInputError(`environment variable ${hook.secretEnv} is not set (it must hold the webhook's HMAC key)`, { file: config.file, field: `rotation.hooks[${index}].secretEnv` });
    }
  }
}

export interface ApplyRequest {
  planPath: string;
  approve: string;
  journalPath: string;
  /** Overrides of rotation.concurrency / ratePerSecond / stopAfterFailures. */
  overrides?: Partial<RotationSettings["run"]>;
}

export async function applyApprovedPlan(environment: RotationEnvironment, request: ApplyRequest): Promise<RunOutcome> {
  const { plan, digest } = await readPlan(request.planPath);
  if (request.approve.toLowerCase() !== digest) {
    throw new UserInputError(`approval ${request.approve} does not match the plan's SHA-256 ${digest}: the plan changed since it was approved, or the wrong plan was given`, { field: "--approve" });
  }
  return run(environment, plan, request.planPath, request.journalPath, request.overrides, (context) => applyPlan({ ...context, planDigest: digest }));
}

export async function resumeJournal(environment: RotationEnvironment, journalPath: string, overrides?: Partial<RotationSettings["run"]>): Promise<RunOutcome> {
  const journal = await readJournal(journalPath);
  const { plan, digest } = await readPlan(journal.run.plan);
  return run(environment, plan, journal.run.plan, journalPath, overrides, (context) => resumeRun(context, digest));
}

async function run(
  environment: RotationEnvironment,
  plan: Plan,
  planPath: string,
  journalPath: string,
  overrides: Partial<RotationSettings["run"]> | undefined,
  start: (context: Parameters<typeof resumeRun>[0]) => Promise<RunOutcome>,
): Promise<RunOutcome> {
  const settings = rotationSettings(environment.config);
  const sink = createSink(settings.sink, environment.env, environment.config.file);
  for (const item of plan.items) {
    if (item.sink.kind !== sink.kind) throw new UserInputError(`plan item ${item.id} is delivered to ${item.sink.kind} but rotation.sink is ${sink.kind}`, { file: planPath });
  }
  const rotators = buildRotators(environment.config, environment.env);
  checkEndpoints(environment.config, plan, planPath);
  const emit = eventSender(environment, settings);
  try {
    return await start({ plan, planPath, journalPath, rotators, sink, settings: { ...settings.run, ...definedOnly(overrides) }, emit, log: environment.warn });
  } finally {
    await Promise.all([...rotators.values()].map((r) => r.close()));
  }
}

/** A plan names the servers it was approved for; a config pointing elsewhere is refused. */
function checkEndpoints(config: CredgovConfig, plan: Plan, planPath: string): void {
  const seen = new Set<string>();
  for (const item of plan.items) {
    if (seen.has(item.source.id)) continue;
    seen.add(item.source.id);
    const source = config.sources.find((s) => s.id === item.source.id);
    if (!source) throw new UserInputError(`plan source ${item.source.id} is not in the configuration`, { file: planPath });
    const url = (source as DirectorySourceConfig).url;
    if ((source.kind === "ad" || source.kind === "ldap") && typeof url === "string" && item.source.endpoint && normalizeUrl(url) !== normalizeUrl(item.source.endpoint)) {
      throw new UserInputError(`plan source ${item.source.id} was collected from ${item.source.endpoint} but the configuration points at ${url}`, { file: planPath });
    }
  }
}

function normalizeUrl(url: string): string {
  return url.toLowerCase().replace(/\/+$/, "");
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function journalStatus(journalPath: string): Promise<{ journal: JournalContents; plan: Plan | undefined }> {
  const journal = await readJournal(journalPath);
  const plan = await readPlan(journal.run.plan).then((p) => p.plan).catch(() => undefined);
  return { journal, plan };
}

export async function writeRotationReport(input: { journalPath: string; out: string; later?: { snapshot: Snapshot; path: string } }): Promise<RotationReport> {
  const journal = await readJournal(input.journalPath);
  const { plan } = await readPlan(journal.run.plan);
  const report = buildRotationReport({ plan, planPath: journal.run.plan, journal, journalPath: input.journalPath, later: input.later });
  const base = input.out.replace(/\.json$/, "");
  await writeFileAtomically(`${base}.json`, [JSON.stringify(report, null, 2) + "\n"]);
  await writeFileAtomically(`${base}.md`, [renderRotationMarkdown(report)]);
  return report;
}
