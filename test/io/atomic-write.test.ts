// Output files are written through a random temp file created exclusively in the target's
// folder, fsync'd and renamed: symlinks, devices and FIFOs are refused (never followed or
// replaced) unless forced, a planted symlink cannot redirect the data, and a full disk leaves
// the previous file intact with a clear error.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomically, writeTextAtomically } from "../../src/io/atomic-write.ts";
import { lockOutputFolder } from "../../src/io/output-lock.ts";
import { userInputErrorOf } from "../user-input-error.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-atomic-"));

describe("atomic, exclusive output writes", () => {
  it("writes through a random 0600 temp name and leaves no temp file", async () => {
    const file = join(dir, "a.json");
    await writeFileAtomically(file, ["[", "1", "]"]);
    expect(readFileSync(file, "utf8")).toBe("[1]");
    expect(lstatSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a symlink target (results.sarif planted as a link) and never writes through it", async () => {
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me");
    const link = join(dir, "results.sarif");
    symlinkSync(victim, link);
    const e = await userInputErrorOf(writeTextAtomically(link, "{}"));
    expect(e.format()).toBe(`${link} is a symbolic link: credgov replaces only regular files (give --force to replace it anyway)`);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
    // --force replaces the link itself, still without following it.
    await writeTextAtomically(link, "{}", { force: true });
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
  });

  it("refuses a character device (/dev/full) and a FIFO without hanging", async () => {
    expect((await userInputErrorOf(writeTextAtomically("/dev/full", "x"))).message).toMatch(/^is a character device/);
    const fifo = join(dir, "junit.xml");
    execFileSync("mkfifo", [fifo]);
    expect((await userInputErrorOf(writeTextAtomically(fifo, "x"))).message).toMatch(/^is a FIFO/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("cannot be redirected by a planted symlink at a predictable temp name (the old <file>.<pid>.tmp)", async () => {
    const victim = join(dir, "victim2.txt");
    writeFileSync(victim, "keep me too");
    const file = join(dir, "findings.json");
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    await writeTextAtomically(file, "[]");
    expect(readFileSync(file, "utf8")).toBe("[]");
    expect(readFileSync(victim, "utf8")).toBe("keep me too");
  });

  it("on a full disk (ENOSPC) says so clearly and leaves the previous file intact, no temp file behind", async (context) => {
    const mnt = mkdtempSync(join(tmpdir(), "credgov-full-"));
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]).status === 0;
    if (!mounted) context.skip();
    try {
      const file = join(mnt, "results.sarif");
      writeFileSync(file, "previous good file");
      const e = await userInputErrorOf(writeFileAtomically(file, (function* () {
        for (let i = 0; i < 200; i++) yield "x".repeat(1024);
      })()));
      expect(e.format()).toBe(`${file} cannot write: no space left on the device (ENOSPC); the previous file, if any, is unchanged`);
      expect(readFileSync(file, "utf8")).toBe("previous good file");
      expect(readdirSync(mnt)).toEqual(["results.sarif"]);
    } finally {
      spawnSync("umount", [mnt]);
    }
  });
});

describe("one run per output folder", () => {
  it("a second holder of the folder fails clearly; a lock left by a killed run is taken over", async () => {
    const out = mkdtempSync(join(tmpdir(), "credgov-lock-"));
    const lock = await lockOutputFolder(out);
    // The lock names this (live) process: a second run must not write here.
    writeFileSync(join(out, ".credgov.lock"), `${process.ppid}\n`);
    const e = await userInputErrorOf(lockOutputFolder(out));
    expect(e.format()).toBe(`${out} --out: another credgov run (pid ${process.ppid}) is writing to this folder; wait for it to finish or choose another --out`);
    writeFileSync(join(out, ".credgov.lock"), "2147483646\n"); // no such process
    const taken = await lockOutputFolder(out);
    await taken.release();
    await lock.release();
    expect(existsSync(join(out, ".credgov.lock"))).toBe(false);
  });
});

afterAll(() => {
  // Nothing mounted is left behind (each test unmounts); temp folders are the OS's to clean.
});
