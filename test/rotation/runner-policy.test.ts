// The runner's run policies (per-source concurrency, rate limit, stop after N consecutive
// failures) with the real journal and the real age-file sink, and an in-memory directory as the
// Rotator (the directories themselves are exercised in ldap-/ad-rotation.test.ts): counting
// requests in flight and start times is only possible on a directory we can watch.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it, vi } from "vitest";
import { readJournal } from "../../src/rotation/journal.ts";
import type { Plan, PlanItem } from "../../src/rotation/plan.ts";
import { RotationError, type Rotator, type Verification } from "../../src/rotation/rotator.ts";
import { applyPlan } from "../../src/rotation/runner.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A directory in memory: passwords by DN, refusing some accounts, recording concurrency. */
class MemoryDirectory implements Rotator {
  readonly kind = "ldap" as const;
  readonly passwords = new Map<string, string>();
  readonly starts: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly refuse: (item: PlanItem) => boolean;
  constructor(refuse: (item: PlanItem) => boolean) {
    this.refuse = refuse;
  }
  canRotate(): string | undefined {
    return undefined;
  }
  constraints(item: PlanItem) {
    return item.constraints;
  }
  async set(item: PlanItem, secret: string) {
    this.starts.push(performance.now());
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 15));
    this.inFlight--;
    if (this.refuse(item)) throw new RotationError("password modify", `${item.account.name}: constraint violation`, { code: "ldap-19" });
    this.passwords.set(item.account.dn!, secret);
    return {};
  }
  async verify(item: PlanItem, secret: string): Promise<Verification> {
    return this.passwords.get(item.account.dn!) === secret ? "works" : "rejected";
  }
  async close() {}
}

function plan(count: number, source = "legacy"): Plan {
  const items: PlanItem[] = Array.from({ length: count }, (_, i) => ({
    id: String(i + 1).padStart(4, "0"), order: i + 1, credential: `${source}:u${i}:password`, credentialType: "password",
    account: { id: `${source}:u${i}`, name: `u${i}`, kind: "service", enabled: true, dn: `uid=u${i},dc=test` },
    source: { id: source, kind: "ldap", endpoint: "ldap://test" }, rotator: "ldap", sink: { kind: "age-file", location: `${source}/u${i}` },
    reasons: ["CG-TEST"], constraints: { minLength: 0, requiredClasses: ["lower", "upper", "digit", "symbol"], forbiddenSubstrings: [] }, linkedAccounts: [],
  }));
  return { planVersion: 1, createdAt: "2026-12-05T00:00:00Z", generator: { name: "credgov", version: "test" }, input: { snapshot: "s", snapshotGeneratedAt: "t" }, items, skipped: [] };
}

async function run(directory: Rotator, p: Plan, settings: { concurrency?: number; ratePerSecond?: number; stopAfterFailures?: number }) {
  const dir = mkdtempSync(join(tmpdir(), "credgov-runner-"));
  dirs.push(dir);
  const identity = await generateX25519Identity();
  const sink = new AgeFileSink({ dir: join(dir, "store"), recipients: [await identityToRecipient(identity)], identity });
  const journalPath = join(dir, "journal.jsonl");
  const outcome = await applyPlan({
    plan: p, planPath: "plan.json", planDigest: "e".repeat(64), journalPath, rotators: new Map([["legacy", directory]]), sink,
    settings: { concurrency: 4, ratePerSecond: 0, stopAfterFailures: 5, minimumLength: 32, ...settings },
  });
  return { outcome, journal: await readJournal(journalPath), sink };
}

describe("runner policies", () => {
  it("keeps at most `concurrency` items of a source in flight, and commits them all", async () => {
    const directory = new MemoryDirectory(() => false);
    const { outcome, sink } = await run(directory, plan(20), { concurrency: 3 });
    expect(outcome).toMatchObject({ outcome: "completed", counts: { committed: 20 } });
    expect(directory.maxInFlight).toBe(3);
    expect((await sink.read("legacy/u7", "current"))!.secret).toBe(directory.passwords.get("uid=u7,dc=test"));
  });

  it("paces password writes by ratePerSecond", async () => {
    const directory = new MemoryDirectory(() => false);
    await run(directory, plan(6), { concurrency: 4, ratePerSecond: 20 });
    // 20 writes per second: 6 writes span at least 5 slots of 50 ms (a late timer may shorten the
    // next gap, but never the schedule as a whole).
    expect(directory.starts.at(-1)! - directory.starts[0]!).toBeGreaterThanOrEqual(5 * 50 - 5);
  });

  it("a rotator that declines to issue uses one rate-limit slot per item, not two", async () => {
    // A clock that moves only when a pacing timer is due: the slots taken are counted exactly,
    // however slow the machine is (N items, one slot each: N - 1 waits of 1 / rate).
    const declining = new (class extends MemoryDirectory {
      async issue() {
        return undefined;
      }
      override async set(item: PlanItem, secret: string) {
        this.starts.push(performance.now());
        this.passwords.set(item.account.dn!, secret);
        return {};
      }
    })(() => false);
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    try {
      const started = performance.now();
      let done = false;
      const finished = run(declining, plan(5), { concurrency: 1, ratePerSecond: 10 }).finally(() => (done = true));
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        await vi.advanceTimersToNextTimerAsync();
      }
      const { outcome } = await finished;
      expect(outcome).toMatchObject({ outcome: "completed", counts: { committed: 5 } });
      expect(performance.now() - started).toBe(4 * 100);
      expect(declining.starts.map((t) => t - started)).toEqual([0, 100, 200, 300, 400]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops starting items after N consecutive failures; the rest stay planned for a later resume", async () => {
    const directory = new MemoryDirectory((item) => item.order >= 3);
    const { outcome, journal } = await run(directory, plan(30), { concurrency: 1, stopAfterFailures: 4 });
    expect(outcome.outcome).toBe("stopped-after-failures");
    expect(outcome.counts).toEqual({ committed: 2, failed: 4, planned: 24 });
    const failed = journal.items.get("0003")!;
    expect(failed).toMatchObject({ state: "failed", lastGood: "stored-pending", error: { step: "password modify", code: "ldap-19" } });
    expect(journal.sessions.at(-1)).toMatchObject({ event: "end", outcome: "stopped-after-failures" });
  });

  it("a success resets the consecutive-failure count", async () => {
    const directory = new MemoryDirectory((item) => item.order % 2 === 0);
    const { outcome } = await run(directory, plan(12), { concurrency: 1, stopAfterFailures: 2 });
    expect(outcome).toMatchObject({ outcome: "completed", counts: { committed: 6, failed: 6 } });
  });
});
