// An Entra export folder written before credgov read the Temporary Access Pass policy has no
// temporaryAccessPass.json. It must still scan, and whom an administrator can issue a pass to is
// then unknown: the reset controls report error for that tenant (exit 3), never a pass.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credgov, demoDir } from "./run-credgov.ts";

interface Finding {
  controlId: string;
  status: string;
  subject: { source: string; id: string };
  message: string;
}

describe("an Entra export folder from an older credgov", () => {
  it(
    "scans with the reset controls in error for that tenant, naming the missing file, and exits 3",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-older-entra-"));
      try {
        cpSync(demoDir, dir, { recursive: true });
        rmSync(join(dir, "entra", "temporaryAccessPass.json"));
        const r = credgov(dir, "scan", "--config", "credgov.yaml", "--out", "scan", "--no-history", "--fail-on", "none", "--format", "json");
        expect(r.code, r.stderr).toBe(3);
        const findings = JSON.parse(readFileSync(join(dir, "scan", "findings.json"), "utf8")) as Finding[];
        const errors = findings.filter((f) => f.status === "error" && f.subject.id === "entra");
        expect(errors.map((f) => f.controlId).sort()).toEqual(["CG-FRAG-004", "CG-RESET-002", "CG-RESET-003"]);
        for (const f of errors) expect(f.message).toContain("temporaryAccessPass.json");
        // The subsidiary's folder has the file: its tenant is judged as before.
        expect(findings.some((f) => f.controlId === "CG-RESET-003" && f.status === "pass" && f.subject.source === "northwind-entra")).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
