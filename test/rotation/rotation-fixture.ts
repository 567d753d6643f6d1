// Shared set-up of the rotation tests: a work folder with an age identity, a credgov.yaml that
// points at a live server (slapd or Samba) with rotation.sink = age-file, a snapshot collected
// from that server by `credgov collect`, and a `credgov` runner capturing stdout and stderr
// (the canary test searches them for every generated secret).
import { spawn, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { expect } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { fingerprint, JournalWriter } from "../../src/rotation/journal.ts";
import type { Plan } from "../../src/rotation/plan.ts";
import { buildRotators, readPlan } from "../../src/rotation/rotate.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";

export const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;

export interface RotationWork {
  dir: string;
  config: string;
  identity: string;
  identityFile: string;
  env: NodeJS.ProcessEnv;
  /** Everything every credgov run printed (canary). */
  transcript: string[];
  credgov(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** Runs credgov without blocking this process (for servers the test itself runs, e.g. webhooks). */
  credgovAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** Starts credgov without waiting (crash tests). */
  spawnCredgov(...args: string[]): ReturnType<typeof spawn>;
  /** Removes the work folder (store, journals, plans). */
  dispose(): void;
}

export interface DirectoryUnderTest {
  kind: "ad" | "ldap";
  id: string;
  url: string;
  startTLS: boolean;
  /** YAML flow mapping for the source's tls: key. */
  tls: string;
  baseDN: string;
  bindDN: string;
  password: string;
  extra?: string;
}

export async function rotationWork(source: DirectoryUnderTest, rotationYaml = ""): Promise<RotationWork> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-rotation-"));
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(dir, "store.key");
  writeFileSync(identityFile, identity + "\n", { mode: 0o600 });
  const config = join(dir, "credgov.yaml");
  writeFileSync(
    config,
    `version: 1
sources:
  - id: ${source.id}
    kind: ${source.kind}
    url: ${source.url}
    startTLS: ${source.startTLS}
    tls: ${source.tls}
    baseDN: ${JSON.stringify(source.baseDN)}
    bindDN: ${JSON.stringify(source.bindDN)}
    passwordEnv: DIR_PASSWORD
${source.extra ?? ""}rotation:
  sink: { kind: age-file, dir: store, recipients: [${recipient}], identityEnv: AGE_IDENTITY }
${rotationYaml}`,
  );
  const env = { ...process.env, NO_COLOR: "1", DIR_PASSWORD: source.password, AGE_IDENTITY: identity };
  const transcript: string[] = [];
  return {
    dir, config, identity, identityFile, env, transcript,
    credgov: (...args) => {
      const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, cwd: dir });
      transcript.push(result.stdout, result.stderr);
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
    credgovAsync: (...args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("close", (status) => {
          transcript.push(stdout, stderr);
          resolve({ status, stdout, stderr });
        });
      }),
    spawnCredgov: (...args) => {
      const child = spawn(process.execPath, [bin, ...args], { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.setEncoding("utf8").on("data", (d: string) => transcript.push(d));
      child.stderr!.setEncoding("utf8").on("data", (d: string) => transcript.push(d));
      return child;
    },
  };
}

/** `age -d -i KEY FILE` with Debian's age CLI: the store is readable without credgov. */
export function ageDecrypt(identityFile: string, file: string): string {
  const result = spawnSync("age", ["-d", "-i", identityFile, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`age -d failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * A run that crashed after "applied" was journaled and before "verified": plan + journal
 * written by the real runner's writer, the pending secret stored in the real sink, and
 * (directoryChanged) set in the directory with the real rotator — exactly the durable state a
 * process killed at that point leaves behind.
 */
export async function crashedRun(work: RotationWork, name: string, selector: string, options: { directoryChanged: boolean; pending?: string; lastState?: "stored-pending" | "applied" }): Promise<{ plan: Plan; journal: string; pending: string }> {
  const planned = work.credgov("rotate", "plan", "--config", work.config, "--snapshot", "scan/snapshot.json", "--accounts", selector, "--out", `${name}.json`);
  expect(planned.status, planned.stderr).toBe(0);
  const { plan, digest } = await readPlan(join(work.dir, `${name}.json`));
  const item = plan.items[0]!;
  const salt = "00112233445566778899aabbccddeeff";
  const pending = options.pending ?? `Pending!${name}#${Date.now()}-Aa1`;
  const store = new AgeFileSink({ dir: join(work.dir, "store"), recipients: [readFileSync(work.config, "utf8").match(/recipients: \[(age1[0-9a-z]+)\]/)![1]!], identity: work.identity });
  const print = fingerprint(salt, pending);
  const version = await store.putPending(item.sink.location, pending, { planDigest: digest, item: item.id, fingerprint: print });
  if (options.directoryChanged) {
    const config = loadConfig(work.config);
    const rotator = buildRotators(config, work.env).get(item.source.id)!;
    await rotator.set(item, pending);
    await rotator.close();
  }
  const journal = `${name}.journal.jsonl`;
  const writer = await JournalWriter.create(join(work.dir, journal), { type: "run", journalVersion: 1, planDigest: digest, plan: `${name}.json`, startedAt: new Date().toISOString(), fingerprintSalt: salt, host: "test", pid: 1 });
  const at = new Date().toISOString();
  for (const [state, extra] of [["planned", {}], ["generated", { fingerprint: print }], ["stored-pending", { sinkVersion: version, fingerprint: print }], ["applied", {}]] as const) {
    if (state === "applied" && options.lastState === "stored-pending") break;
    await writer.append({ type: "item", item: item.id, state, at, attempt: 1, ...extra });
  }
  await writer.append({ type: "session", event: "start", at, command: "apply", pid: 1 });
  await writer.close();
  return { plan, journal, pending };
}
