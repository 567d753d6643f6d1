// Shared set-up of the rotation tests: a work folder with an age identity, a credgov.yaml that
// points at a live server (slapd or Samba) with rotation.sink = age-file, a snapshot collected
// from that server by `credgov collect`, and a `credgov` runner capturing stdout and stderr
// (the canary test searches them for every generated secret).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";

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
  /** Starts credgov without waiting (crash tests). */
  spawnCredgov(...args: string[]): ReturnType<typeof spawn>;
}

export interface DirectoryUnderTest {
  kind: "ad" | "ldap";
  id: string;
  url: string;
  startTLS: boolean;
  caFile: string;
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
    tls: { caFile: ${source.caFile} }
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
