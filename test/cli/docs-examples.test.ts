// The examples users copy run as written: every `$ credgov ...` line of every command's --help,
// the README's runnable commands (fenced blocks, and command-table rows without placeholders),
// and the credgov.yaml of docs/config.md. Each runs in a real shell (quotes, `> file`, `$(date)`)
// with `credgov` on PATH, in a folder laid out as the example assumes: the demo estate's config,
// exports, baseline and exceptions beside it, the policy library in policies/. Examples that
// reach live directories (rotate, export) are checked to parse; their runs against real servers
// are in test/rotation and test/live-cloud. A new example that fits no premise fails here.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildProgram } from "../../src/cli/main.ts";
import { createOutput } from "../../src/cli/output.ts";
import { ExitCode } from "../../src/errors.ts";

const repo = new URL("../../", import.meta.url).pathname;
const bin = join(repo, "bin", "credgov.js");

interface Example {
  /** Where it was found: `scan --help`, `README`. */
  where: string;
  command: string;
}

function helpText(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** `$ credgov scan --demo --out reports/demo            scan the bundled demo estate` -> the command alone. */
async function helpExamples(): Promise<Example[]> {
  const program = await buildProgram({ output: createOutput("quiet"), exitCode: ExitCode.ok });
  const examples: Example[] = [];
  for (const command of allCommands(program)) {
    for (const m of helpText(command).matchAll(/^\s*\$ (credgov .*)$/gm)) {
      examples.push({ where: `${commandPath(command)} --help`, command: m[1].split(/\s{3,}/)[0].trim() });
    }
  }
  return examples;
}

/** README: credgov in fenced shell blocks (after the set-up it sources), and table rows that name no placeholder. */
function readmeExamples(): Example[] {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const examples: Example[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    for (const line of block[1].split("\n")) {
      const m = /(?:^|&&\s*)(?:npx )?(credgov .*?)\s*(?:#.*)?$/.exec(line);
      if (m) examples.push({ where: "README (shell block)", command: m[1].trim() });
    }
  }
  const table = readme.slice(readme.indexOf("| command | what it does |"), readme.indexOf("Exit codes:"));
  for (const m of table.matchAll(/^\| `(credgov [^`]*)`/gm)) {
    // A synopsis names what the user supplies (DIR, FILE, SCAN_ID), alternatives (a|b) or options ([--x]).
    if (/\b[A-Z][A-Z0-9_]+\b|[[|]|\.\.\./.test(m[1])) continue;
    examples.push({ where: "README (command table)", command: m[1] });
  }
  return examples;
}

/** Each distinct command once (README repeats some of the help's), where it was first found. */
const seen = new Set<string>();
const examples = [...(await helpExamples()), ...readmeExamples()].filter((e) => !seen.has(e.command) && seen.add(e.command));

/** Reach live directories or an Entra tenant: checked to parse here, run against real servers elsewhere. */
const live = (command: string) => /^credgov (rotate (plan|apply|resume|status|report)|export) /.test(command);
/** Write a starter config: each gets an empty folder, as a new user has. */
const starts = (command: string) => /^credgov init\b/.test(command);

/** Premises first (what later examples read), then readers. Stable within a rank. */
const order = ["collect", "scan", "evaluate", "report", "snapshot", "drift", "history", "verify", "controls", "policy"];
const rank = (command: string) => {
  const index = order.indexOf(command.split(/\s+/)[1]);
  return index < 0 ? order.length : index;
};

let work: string;
let binDir: string;
let env: NodeJS.ProcessEnv;

function shell(command: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", command], { cwd, env, encoding: "utf8", timeout: 170_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "credgov-examples-"));
  binDir = join(work, ".bin");
  mkdirSync(binDir);
  writeFileSync(join(binDir, "credgov"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(binDir, "credgov"), 0o755);
  env = { ...process.env, PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH ?? ""}`, NO_COLOR: "1", FORCE_COLOR: undefined, CREDGOV_CONFIG: undefined, CREDGOV_SIGNING_KEY: undefined };
  // The layout the examples assume: a credgov.yaml over exports, its baseline and exceptions,
  // the policy library, and the repository's examples/ (collect --config examples/demo/...).
  const estate = join(work, "estate");
  cpSync(join(repo, "examples", "demo"), estate, { recursive: true });
  cpSync(join(repo, "examples"), join(estate, "examples"), { recursive: true });
  cpSync(join(repo, "policies"), join(estate, "policies"), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(estate, "signing.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(join(estate, "signing-public.pem"), publicKey.export({ type: "spki", format: "pem" }));
  // Inputs the examples name: a snapshot (today's, yesterday's, a later one) and a signed pack.
  const premises = [
    "credgov collect --config credgov.yaml --out snapshot.json",
    "cp snapshot.json today.json && cp snapshot.json yesterday.json && cp snapshot.json later-snapshot.json",
    "credgov scan --demo --out reports/demo --fail-on none --quiet",
    "mkdir -p reports/2026-06-01 && cp reports/demo/findings.json reports/demo/snapshot.json reports/2026-06-01/ && credgov report --findings reports/2026-06-01/findings.json --format manifest --out reports/2026-06-01 --signing-key signing.pem --quiet",
  ];
  // `snapshot merge` joins one part per source (its example shows two of the jobs): the other
  // per-source jobs of the demo estate, so the merge it documents is complete.
  const sources = (parseYaml(readFileSync(join(estate, "credgov.yaml"), "utf8")) as { sources: { id: string }[] }).sources.map((s) => s.id);
  for (const id of sources) premises.push(`credgov collect --config credgov.yaml --source ${id} --out parts/${id}.json.gz --quiet`);
  for (const premise of premises) {
    const r = shell(premise, estate);
    expect(r.status, `${premise}\n${r.stderr}`).toBe(0);
  }
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("documented examples", () => {
  it("are found in --help and README", () => {
    expect(examples.filter((e) => e.where.endsWith("--help")).length).toBeGreaterThanOrEqual(30);
    expect(examples.some((e) => e.where.startsWith("README"))).toBe(true);
  });

  it("run as written against the demo estate (exit 0, or 1 for findings and drift)", () => {
    const runnable = examples.filter((e) => !live(e.command) && !starts(e.command)).sort((a, b) => rank(a.command) - rank(b.command));
    const failures: string[] = [];
    for (const example of runnable) {
      const r = shell(example.command, join(work, "estate"));
      const ok = (r.status === 0 || r.status === 1) && !/internal error|^error:/m.test(r.stderr);
      if (!ok) failures.push(`${example.where}: ${example.command}\n  exit ${r.status}: ${r.stderr.trim().split("\n").slice(-3).join("\n  ")}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  }, 900_000);

  it("that write a starter config run as written in an empty folder", () => {
    for (const [i, example] of examples.filter((e) => starts(e.command)).entries()) {
      const dir = join(work, `empty-${i}`);
      mkdirSync(dir);
      const r = shell(example.command, dir);
      expect(r.status, `${example.where}: ${example.command}\n${r.stderr}`).toBe(0);
      const written = /--out (\S+)/.exec(example.command)?.[1] ?? "credgov.yaml";
      expect(readFileSync(join(dir, written), "utf8")).toContain("sources:");
    }
  });

  it("that reach live directories name only flags and arguments their command accepts", async () => {
    const program = await buildProgram({ output: createOutput("quiet"), exitCode: ExitCode.ok });
    const reached: string[] = [];
    for (const command of allCommands(program)) command.action(() => void reached.push(commandPath(command)));
    const liveExamples = examples.filter((e) => live(e.command));
    expect(liveExamples.length).toBeGreaterThanOrEqual(7);
    for (const example of liveExamples) {
      // The words as a shell splits them; a <placeholder> stands for the value the user pastes.
      const words = [...example.command.replace(/<[^>]+>/g, "x").matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
      reached.length = 0;
      await program.parseAsync(words.slice(1), { from: "user" });
      expect(reached, example.command).toEqual([`credgov ${words.slice(1, words[1] === "rotate" ? 3 : 2).join(" ")}`]);
    }
  });

  it("docs/config.md's credgov.yaml is valid and its export sources collect complete", () => {
    const doc = readFileSync(join(repo, "docs", "config.md"), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    expect(yaml).toContain("kind: ldap");
    // Its export paths, filled from the demo estate; the live AD (ldaps://dc1.corp.example) is
    // not reachable from a test and is left out with --source.
    const dir = join(work, "config-md");
    mkdirSync(join(dir, "exports"), { recursive: true });
    mkdirSync(join(dir, "policies", "local"), { recursive: true });
    mkdirSync(join(dir, "certs"), { recursive: true });
    cpSync(join(repo, "examples", "demo", "ldap.ldif"), join(dir, "exports", "legacy.ldif"));
    cpSync(join(repo, "examples", "demo", "entra"), join(dir, "exports", "entra"), { recursive: true });
    cpSync(join(repo, "examples", "demo", "github"), join(dir, "exports", "github"), { recursive: true });
    cpSync(join(repo, "examples", "demo", "exceptions.yaml"), join(dir, "exceptions.yaml"));
    writeFileSync(join(dir, "credgov.yaml"), yaml.replace("../schemas/", `${repo}schemas/`));
    const r = shell("credgov collect --config credgov.yaml --source legacy-ldap entra github --out snapshot.json", dir);
    expect(r.status, r.stderr).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(dir, "snapshot.json"), "utf8")) as { sources: { id: string; status: string }[] };
    expect(snapshot.sources.map((s) => [s.id, s.status])).toEqual([
      ["legacy-ldap", "ok"],
      ["entra", "ok"],
      ["github", "ok"],
    ]);
  });
});
