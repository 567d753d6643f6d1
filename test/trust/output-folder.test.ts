// Output folders through the CLI: one run at a time per folder (a second scan fails clearly,
// exit 2, naming the folder and the holder's pid), symlinks and special files refused unless
// --force, and a run's files tied by run.json, which report and verify check.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lockOutputFolder } from "../../src/io/output-lock.ts";
import { readRunManifest, runFolderProblems } from "../../src/io/run-manifest.ts";

const TIMEOUT = 300_000;
const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const snapshot = fileURLToPath(new URL("../fixtures/snapshots/all-controls.json", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "credgov-folder-"));

function credgov(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder holding one complete evaluate run of the fixture snapshot, evaluated in place. */
function evaluatedFolder(name: string, ...extra: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  copyFileSync(snapshot, join(dir, "snapshot.json"));
  expect(credgov("evaluate", "--snapshot", join(dir, "snapshot.json"), "--out", dir, "--fail-on", "none", "--allow-incomplete", ...extra).code).toBe(0);
  return dir;
}

describe("one run per output folder", () => {
  it(
    "two concurrent scans into one folder: the second fails with exit 2 naming the folder and the first one's pid; the folder is the first one's complete run",
    async () => {
      const out = join(work, "concurrent");
      const first = spawn(process.execPath, [bin, "scan", "--demo", "--out", out, "--no-history"], { stdio: "ignore" });
      const firstExit = new Promise<number | null>((resolve) => first.on("exit", (code) => resolve(code)));
      // Stop the first scan once it holds the folder, so the second one surely meets it there.
      while (!existsSync(join(out, ".credgov.lock"))) await sleep(20);
      first.kill("SIGSTOP");
      const second = credgov("scan", "--demo", "--out", out, "--no-history");
      first.kill("SIGCONT");
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`${out} --out: another credgov run (pid ${first.pid}) is writing to this folder; wait for it to finish or choose another --out`);
      expect(await firstExit).toBe(1); // the demo has high failures
      expect((await readRunManifest(out))?.tool).toBe("credgov scan");
      expect(await runFolderProblems(out)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "evaluate into a folder another live process holds fails before evaluating and leaves the folder as it was",
    async () => {
      const dir = evaluatedFolder("held");
      const before = await readRunManifest(dir);
      const lock = await lockOutputFolder(dir);
      try {
        const r = credgov("evaluate", "--snapshot", snapshot, "--out", dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`another credgov run (pid ${process.pid}) is writing to this folder`);
        expect(r.stdout).toBe(""); // no findings table: nothing was evaluated
      } finally {
        await lock.release();
      }
      expect(await readRunManifest(dir)).toEqual(before);
    },
    TIMEOUT,
  );
});

describe("symlinks and special files as output targets", () => {
  it(
    "a results.sarif planted as a symlink is refused (exit 2, the target untouched, the folder back to its previous run); --force replaces the link itself",
    async () => {
      const dir = evaluatedFolder("planted");
      const before = await readRunManifest(dir);
      const victim = join(work, "victim.txt");
      writeFileSync(victim, "keep me");
      const link = join(dir, "results.sarif");
      rmSync(link);
      symlinkSync(victim, link);
      const refused = credgov("evaluate", "--snapshot", join(dir, "snapshot.json"), "--out", dir, "--fail-on", "none", "--allow-incomplete");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${link} is a symbolic link: credgov replaces only regular files (give --force to replace it anyway)`);
      expect(readFileSync(victim, "utf8")).toBe("keep me");
      // The failed run was undone: the previous run's files (but the planted link) are back under its run.json.
      expect((await readRunManifest(dir))?.runId).toBe(before?.runId);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      const forced = credgov("evaluate", "--snapshot", join(dir, "snapshot.json"), "--out", dir, "--fail-on", "none", "--allow-incomplete", "--force");
      expect(forced.code).toBe(0);
      expect(lstatSync(link).isFile()).toBe(true);
      expect(readFileSync(victim, "utf8")).toBe("keep me");
      expect(await runFolderProblems(dir)).toEqual([]);
    },
    TIMEOUT,
  );

  it("drift --out with a planted drift.md symlink is refused (exit 2, the target untouched) unless --force", () => {
    const out = join(work, "drift-out");
    mkdirSync(out);
    const victim = join(work, "drift-victim.txt");
    writeFileSync(victim, "keep me");
    symlinkSync(victim, join(out, "drift.md"));
    const refused = credgov("drift", "--snapshot", snapshot, "--since", snapshot, "--out", out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("drift.md");
    expect(lstatSync(join(out, "drift.md")).isSymbolicLink()).toBe(true);
    const forced = credgov("drift", "--snapshot", snapshot, "--since", snapshot, "--out", out, "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(lstatSync(join(out, "drift.md")).isFile()).toBe(true);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
  });

  it("collect --out /dev/full, a FIFO or a symlink is refused before collecting (exit 2)", () => {
    const fifo = join(work, "snapshot.fifo");
    spawnSync("mkfifo", [fifo]);
    const link = join(work, "snapshot-link.json");
    symlinkSync(join(work, "elsewhere.json"), link);
    for (const [out, what] of [["/dev/full", "a character device"], [fifo, "a FIFO"], [link, "a symbolic link"]]) {
      const r = credgov("collect", "--config", "examples/demo/credgov.yaml", "--out", out);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: ${out} is ${what}: credgov replaces only regular files (give --force to replace it anyway)\n`);
    }
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
    expect(existsSync(join(work, "elsewhere.json"))).toBe(false);
  });
});

describe("report and verify check the run", () => {
  it(
    "report refuses a snapshot.json or findings.json of another run beside the findings, and a folder whose run did not finish",
    async () => {
      const dir = evaluatedFolder("mixed");
      const other = evaluatedFolder("other", "--now", "2026-03-01T00:00:00Z");
      const good = credgov("report", "--findings", join(dir, "findings.json"), "--format", "md", "--out", join(work, "rendered"));
      expect(good.code).toBe(0);
      // One run's snapshot beside the other's findings (what two scans into one folder used to leave).
      const s = JSON.parse(readFileSync(snapshot, "utf8")) as { generatedAt: string };
      s.generatedAt = "2026-01-01T00:00:00Z";
      writeFileSync(join(dir, "snapshot.json"), JSON.stringify(s));
      const mixed = credgov("report", "--findings", join(dir, "findings.json"), "--format", "pdf", "--out", join(work, "pack"));
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toMatch(new RegExp(`^error: ${join(dir, "snapshot.json")} does not match run [0-9a-f-]{36} \\(run\\.json holds another SHA-256\\): the folder mixes runs, or the file was changed\\n$`));
      copyFileSync(snapshot, join(dir, "snapshot.json"));
      copyFileSync(join(other, "findings.json"), join(dir, "findings.json"));
      expect(credgov("report", "--findings", join(dir, "findings.json"), "--format", "md", "--out", join(work, "r2")).stderr).toMatch(/findings\.json does not match run/);
      // verify names both files.
      const v = credgov("verify", dir);
      expect(v.code).toBe(1);
      expect(v.stderr).toMatch(/findings\.json: differs from run\.json \(run [0-9a-f-]{36}\): changed, or written by another run/);
      // A run killed in the folder (its journal left behind).
      writeFileSync(join(other, ".credgov-run.journal"), `${JSON.stringify({ runId: "killed", tool: "credgov scan" })}\n`);
      const unfinished = credgov("report", "--findings", join(other, "findings.json"), "--format", "md", "--out", join(work, "r3"));
      expect(unfinished.code).toBe(2);
      expect(unfinished.stderr).toBe(`error: ${other} the run that wrote this folder did not finish (killed or failed): its files are not a complete run; run the scan or evaluate into it again\n`);
    },
    TIMEOUT,
  );

  it(
    "report into the findings' own folder joins their run (same run id), and verify then passes; into another run's folder it is refused",
    async () => {
      const dir = evaluatedFolder("joined");
      const before = await readRunManifest(dir);
      expect(credgov("report", "--findings", join(dir, "findings.json"), "--format", "html", "--out", dir).code).toBe(0);
      const after = await readRunManifest(dir);
      expect(after?.runId).toBe(before?.runId);
      expect(Object.keys(after!.files)).toEqual(expect.arrayContaining(["evidence.html", "manifest.json", "findings.json", "snapshot.json"]));
      const v = credgov("verify", dir);
      expect(v.stderr).not.toMatch(/run\.json/);
      expect(v.code).toBe(0);
      const other = evaluatedFolder("other-run");
      const refused = credgov("report", "--findings", join(dir, "findings.json"), "--format", "md", "--out", other);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${other} --out: holds the outputs of run ${(await readRunManifest(other))?.runId} (run.json), not of the run of these findings (${before?.runId})`);
    },
    TIMEOUT,
  );
});
