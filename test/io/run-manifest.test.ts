// The files of one run in an output folder are tied by run.json (written last); a new run moves
// the previous complete run aside, a failed or killed run is undone, and report/verify detect a
// folder that mixes runs. Killed runs for real: test/trust/kill-scan.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTextAtomically } from "../../src/io/atomic-write.ts";
import { beginOutputRun, checkRunFile, isRunBookkeeping, readRunManifest, recoverOutputFolder, runFolderProblems, runStateOf, withOutputRun } from "../../src/io/run-manifest.ts";
import { userInputErrorOf } from "../user-input-error.ts";

const folder = () => mkdtempSync(join(tmpdir(), "credgov-run-"));

/** Visible files (no bookkeeping) with their text. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name).slice(dir.length + 1);
    if (!isRunBookkeeping(path)) out[path] = readFileSync(join(dir, path), "utf8");
  }
  return out;
}

async function scanLike(dir: string, label: string, names = ["snapshot.json", "findings.json", "subjects/CG-X.csv"]): Promise<string> {
  return withOutputRun(dir, { tool: "test" }, async (run) => {
    mkdirSync(join(dir, "subjects"), { recursive: true });
    for (const name of names) await writeTextAtomically(join(dir, name), `${label} ${name}`);
    return run.runId;
  });
}

describe("run.json ties a run's files", () => {
  it("lists every file the run wrote (subfolders too) with its SHA-256, under one run id; nothing else is left", async () => {
    const dir = folder();
    writeFileSync(join(dir, "notes.txt"), "the user's own file");
    const id = await scanLike(dir, "A");
    const manifest = await readRunManifest(dir);
    expect(manifest?.runId).toBe(id);
    expect(Object.keys(manifest!.files)).toEqual(["findings.json", "snapshot.json", "subjects/CG-X.csv"]);
    expect(manifest!.files["findings.json"]).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dir).sort()).toEqual(["findings.json", "notes.txt", "run.json", "snapshot.json", "subjects"]);
    expect(await checkRunFile(join(dir, "findings.json"))).toEqual({ runId: id, dir });
    // The user's file is not the run's: verify names it, report's inputs are unaffected.
    expect(await runFolderProblems(dir)).toEqual([{ file: "notes.txt", problem: `is not part of run ${id} (not in run.json): the folder mixes runs` }]);
  });

  it("a new run replaces the previous run's files, including those it does not write again", async () => {
    const dir = folder();
    await scanLike(dir, "A", ["snapshot.json", "findings.json", "drift.json"]);
    const b = await scanLike(dir, "B", ["snapshot.json", "findings.json"]);
    expect(contents(dir)).toEqual({ "snapshot.json": "B snapshot.json", "findings.json": "B findings.json" });
    expect(Object.keys((await readRunManifest(dir))!.files)).toEqual(["findings.json", "snapshot.json"]);
    expect(await runFolderProblems(dir)).toEqual([]);
    expect((await readRunManifest(dir))!.runId).toBe(b);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("a run that fails is undone: the previous complete run is back, byte for byte", async () => {
    const dir = folder();
    const a = await scanLike(dir, "A");
    const before = contents(dir);
    const e = await withOutputRun(dir, { tool: "test" }, async () => {
      await writeTextAtomically(join(dir, "snapshot.json"), "B snapshot");
      await writeTextAtomically(join(dir, "new-only.json"), "B only");
      throw new Error("disk full halfway");
    }).catch((error: unknown) => error as Error);
    expect(e.message).toBe("disk full halfway");
    expect(contents(dir)).toEqual(before);
    expect((await readRunManifest(dir))!.runId).toBe(a);
    expect(await runFolderProblems(dir)).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("a run that stopped mid-way (killed) shows only its own files, and the next run into the folder puts the previous run back first", async () => {
    const dir = folder();
    const a = await scanLike(dir, "A");
    const before = contents(dir);
    // Begun and never finished: what a SIGKILL leaves (the lock names this process, which the next run takes over).
    const run = await beginOutputRun(dir, { tool: "test" });
    await writeTextAtomically(join(dir, "snapshot.json"), "B snapshot");
    writeFileSync(join(dir, ".findings.json.0123456789abcdef.tmp"), "half a findings file");
    expect(contents(dir)).toEqual({ "snapshot.json": "B snapshot" }); // the previous run is aside, not mixed in
    expect(await runStateOf(dir)).toEqual({ kind: "unfinished" });
    expect((await userInputErrorOf(checkRunFile(join(dir, "snapshot.json")))).format()).toBe(
      `${dir} the run that wrote this folder did not finish (killed or failed): its files are not a complete run; run the scan or evaluate into it again`,
    );
    expect(await runFolderProblems(dir)).toEqual([{ file: "run.json", problem: "the run that wrote this folder did not finish (killed or failed): its files are not a complete run" }]);
    void run; // abandoned by its process dying
    await recoverOutputFolder(dir);
    expect(contents(dir)).toEqual(before);
    expect((await readRunManifest(dir))!.runId).toBe(a);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("extending a run (report into the findings' folder) keeps the run id and adds the new files", async () => {
    const dir = folder();
    const a = await scanLike(dir, "A");
    await withOutputRun(dir, { tool: "report", extend: true }, async () => {
      expect(existsSync(join(dir, "run.json"))).toBe(false); // in progress
      await writeTextAtomically(join(dir, "evidence.html"), "<html>");
    });
    const manifest = (await readRunManifest(dir))!;
    expect(manifest.runId).toBe(a);
    expect(Object.keys(manifest.files)).toEqual(["evidence.html", "findings.json", "snapshot.json", "subjects/CG-X.csv"]);
    expect(await runFolderProblems(dir)).toEqual([]);
  });

  it("an input kept in place (a snapshot evaluated in its folder) stays and joins the new run", async () => {
    const dir = folder();
    await scanLike(dir, "A", ["snapshot.json", "findings.json"]);
    const b = await withOutputRun(dir, { tool: "evaluate", keep: [join(dir, "snapshot.json")] }, async (run) => {
      expect(readFileSync(join(dir, "snapshot.json"), "utf8")).toBe("A snapshot.json");
      await writeTextAtomically(join(dir, "findings.json"), "B findings");
      return run.runId;
    });
    expect(contents(dir)).toEqual({ "snapshot.json": "A snapshot.json", "findings.json": "B findings" });
    expect(await checkRunFile(join(dir, "snapshot.json"))).toEqual({ runId: b, dir });
  });
});

describe("a folder that mixes runs is an error for report and a difference for verify", () => {
  it("names a file another run wrote, a changed file, a missing file and a foreign file", async () => {
    const dir = folder();
    const a = await scanLike(dir, "A");
    writeFileSync(join(dir, "snapshot.json"), "another run's snapshot"); // written outside this run
    writeFileSync(join(dir, "results.sarif"), "{}");
    rmSync(join(dir, "subjects/CG-X.csv"));
    expect((await userInputErrorOf(checkRunFile(join(dir, "snapshot.json")))).format()).toBe(
      `${join(dir, "snapshot.json")} does not match run ${a} (run.json holds another SHA-256): the folder mixes runs, or the file was changed`,
    );
    expect((await userInputErrorOf(checkRunFile(join(dir, "results.sarif")))).message).toBe(`was not written by run ${a} (not listed in run.json): the folder mixes runs`);
    expect(await runFolderProblems(dir)).toEqual([
      { file: "snapshot.json", problem: `differs from run.json (run ${a}): changed, or written by another run` },
      { file: "subjects/CG-X.csv", problem: `is missing (listed in run.json, run ${a})` },
      { file: "results.sarif", problem: `is not part of run ${a} (not in run.json): the folder mixes runs` },
    ]);
  });

  it("a run.json listing a path outside the folder is refused", async () => {
    const dir = folder();
    writeFileSync(join(dir, "run.json"), JSON.stringify({ runId: "x", tool: "t", finishedAt: "", files: { "../../etc/passwd": "00" } }));
    expect((await userInputErrorOf(runFolderProblems(dir))).message).toBe('lists a path outside the folder: "../../etc/passwd"');
  });
});
