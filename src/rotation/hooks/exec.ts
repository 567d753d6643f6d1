// Exec hook: runs argv[0] with argv[1..] directly (no shell, so nothing in an event can be
// interpreted as a command), the event as JSON on stdin; a non-zero exit or the timeout fails.
// The hook gets a minimal environment: credgov's own holds bind passwords, the age identity and
// VAULT_TOKEN, which a ticketing script has no business seeing.
import { spawn } from "node:child_process";
import type { RotationEvent } from "../events.ts";

const passedVariables = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"];

export function runExecHook(argv: string[], timeoutMs: number, event: RotationEvent, env: NodeJS.ProcessEnv): Promise<void> {
  const hookEnv = Object.fromEntries(passedVariables.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { shell: false, stdio: ["pipe", "ignore", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL", env: hookEnv });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.on("error", (error) => reject(new Error(`exec hook ${argv[0]}: ${error.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`exec hook ${argv[0]}: ${signal ? `killed (${signal}${signal === "SIGKILL" ? `, timeout ${timeoutMs} ms` : ""})` : `exit ${code}`}${stderr ? `: ${stderr.trim().split("\n")[0]}` : ""}`));
    });
    child.stdin.on("error", () => undefined); // a hook that does not read stdin is not an error
    child.stdin.end(JSON.stringify(event) + "\n");
  });
}
