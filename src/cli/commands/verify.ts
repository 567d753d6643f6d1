// `credgov verify`: checks an evidence pack: every file against manifest.json, and its Ed25519 signature.
import { statSync } from "node:fs";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { loadPublicKey } from "../../report/evidence/signing-key.ts";
import { verifyPack } from "../../report/evidence/verify-pack.ts";
import { runFolderProblems } from "../../io/run-manifest.ts";

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command("verify")
    .description("check an evidence pack: every file against manifest.json, and its Ed25519 signature")
    .argument("<dir>", "the pack's folder (holding manifest.json)")
    .option("-k, --key <file>", "the signer's public key (PEM); without it the key named in the manifest is used, which proves integrity but not who signed")
    .addHelpText(
      "after",
      `
Every file is also checked against run.json, the record of the run that wrote the folder: a file
missing, changed or written by another run, or a run that did not finish, is a difference.
Exit codes: 0 every file matches and the signature verifies; 1 something differs (each
difference names the file); 2 usage error (no such folder, unreadable key).

Examples:
  $ credgov verify reports/2026-06-01 --key signing-public.pem
  $ openssl pkey -in signing.pem -pubout -out signing-public.pem`,
    )
    .action(async (dir: string, options: { key?: string }) => {
      let isDir: boolean;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new UserInputError("is not a folder", { file: dir });
      const trusted = options.key ? loadPublicKey(options.key) : undefined;
      const pack = await verifyPack(dir, trusted);
      // The folder's files must also be the one complete run run.json records (never mixed runs).
      const runProblems = await runFolderProblems(dir);
      const result = { ...pack, ok: pack.ok && runProblems.length === 0, problems: [...pack.problems, ...runProblems] };
      for (const p of result.problems) ctx.output.error(`${p.file}: ${p.problem}`);
      if (result.ok) {
        const signature =
          result.signature === "valid"
            ? `signature valid (Ed25519 key ${result.fingerprint}${result.keyNotPinned ? ", taken from the manifest: pass --key to check who signed" : ""})`
            : "not signed";
        ctx.output.result(`${dir}: ${result.checked} files match manifest.json; ${signature}`);
        if (result.signature === "unsigned") ctx.output.warn("the pack is not signed: anyone who can write the folder can rewrite manifest.json too");
        ctx.exitCode = ExitCode.ok;
      } else {
        ctx.output.result(`${dir}: verification FAILED (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"})`);
        ctx.exitCode = ExitCode.findings;
      }
    });
}
