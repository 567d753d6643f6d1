// Whatever layer builds a failure's message, the secrets an item handled never reach the journal,
// the log or the hooks in clear text: here a directory refuses the new password with a reply that
// echoes the request it was sent (as is and percent-encoded, as a form body would carry it), with
// the real journal and the real age-file sink. An in-memory directory stands in for the server,
// because no real directory can be made to echo a password back.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it } from "vitest";
import type { RotationEvent } from "../../src/rotation/events.ts";
import type { Plan, PlanItem } from "../../src/rotation/plan.ts";
import { RotationError, type Rotator, type Verification } from "../../src/rotation/rotator.ts";
import { applyPlan } from "../../src/rotation/runner.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Refuses every password with a long reply that quotes the request, and remembers what it was sent. */
class EchoingDirectory implements Rotator {
  readonly kind = "ldap" as const;
  readonly sent: string[] = [];
  canRotate(): string | undefined {
    return undefined;
  }
  constraints(item: PlanItem) {
    return item.constraints;
  }
  async set(item: PlanItem, secret: string): Promise<never> {
    this.sent.push(secret);
    const request = `dn=${item.account.dn}&userPassword=${encodeURIComponent(secret)}`;
    throw new RotationError("password modify", `${item.account.name}: constraint violation: ${secret} is not allowed (request: ${request}) ${"detail ".repeat(300)}`, { code: "ldap-19" });
  }
  async verify(): Promise<Verification> {
    return "rejected";
  }
  async close() {}
}

const item: PlanItem = {
  id: "0001", order: 1, credential: "legacy:svc:password", credentialType: "password",
  account: { id: "legacy:svc", name: "svc", kind: "service", enabled: true, dn: "uid=svc,dc=test" },
  source: { id: "legacy", kind: "ldap", endpoint: "ldap://test" }, rotator: "ldap", sink: { kind: "age-file", location: "legacy/svc" },
  reasons: ["CG-TEST"], constraints: { minLength: 0, requiredClasses: ["lower", "upper", "digit", "symbol"], forbiddenSubstrings: [] }, linkedAccounts: [],
};
const plan: Plan = { planVersion: 1, createdAt: "2026-12-05T00:00:00Z", generator: { name: "credgov", version: "test" }, input: { snapshot: "s", snapshotGeneratedAt: "t" }, items: [item], skipped: [] };

describe("runner failure messages", () => {
  it("redact every secret the item handled, in the forms a server echoes, and stay bounded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-redaction-"));
    dirs.push(dir);
    const identity = await generateX25519Identity();
    const sink = new AgeFileSink({ dir: join(dir, "store"), recipients: [await identityToRecipient(identity)], identity });
    const journalPath = join(dir, "journal.jsonl");
    const directory = new EchoingDirectory();
    const logged: string[] = [];
    const events: RotationEvent[] = [];
    const outcome = await applyPlan({
      plan, planPath: "plan.json", planDigest: "e".repeat(64), journalPath, rotators: new Map([["legacy", directory]]), sink,
      settings: { concurrency: 1, ratePerSecond: 0, stopAfterFailures: 0, minimumLength: 32 },
      log: (message) => logged.push(message), emit: async (event) => void events.push(event),
    });
    expect(outcome.counts).toEqual({ failed: 1 });
    const [secret] = directory.sent;
    // The percent-encoded form is checked below beside the raw one. It is the same text when the
    // generated secret's symbols are all ones encodeURIComponent leaves alone (- _ . ! ~ * ' ( ):
    // a CI run drew "W~V0pTmDB3FQp5XQ9tBiT*tzNiIX)Aok", so this is not asserted to differ.
    const failure = outcome.items.get("0001")!.error!;
    expect(failure).toMatchObject({ step: "password modify", code: "ldap-19" });
    expect(failure.message).toContain("constraint violation: [redacted] is not allowed (request: dn=uid=svc,dc=test&userPassword=[redacted])");
    expect(failure.message.length).toBeLessThanOrEqual(1001);
    const outputs = { journal: readFileSync(journalPath, "utf8"), log: logged.join("\n"), hooks: JSON.stringify(events) };
    for (const [where, text] of Object.entries(outputs)) {
      expect(text, where).toContain("[redacted]");
      for (const form of [secret!, encodeURIComponent(secret!)]) expect(text.includes(form), `${where} holds the secret`).toBe(false);
    }
  });
});
