// A reader that closes stdout early (`credgov controls | head -1`) must not get a stack trace.
// The test closes its end of the pipe before credgov writes anything (start-up takes far longer
// than the close), so every write of the child meets a closed pipe.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));

function runWithStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("stdout closed by the reader", { timeout: 60_000 }, () => {
  for (const args of [["--help"], ["controls"], ["controls", "--format", "json"]]) {
    it(`credgov ${args.join(" ")} stops quietly`, async () => {
      const { code, stderr } = await runWithStdoutClosed(args);
      expect(stderr).not.toMatch(/EPIPE|Error|at /);
      expect(code).toBe(0);
    });
  }
});
