// Runs an approved plan, item by item, through planned → generated → stored-pending → applied →
// verified → promoted → committed, journaling each state before building on it. `apply` starts
// a run; `resume` re-drives every unfinished item from its last durable state. Items of one
// source run `concurrency` at a time under an optional rate limit; the run stops starting new
// items after `stopAfterFailures` consecutive failures. The invariant a crash must not break:
// the directory's password is always one the sink holds (pending before the directory changes,
// current only after the directory was verified to accept it).
import { hostname } from "node:os";
import { generateSecret, defaultSecretLength } from "./generate-secret.ts";
import { fingerprint, isForward, JournalLock, JournalWriter, newSalt, readJournal, stateIndex, type ItemProgress } from "./journal.ts";
import type { ForwardState, ItemRecord, ItemState, RunRecord } from "./journal-record.ts";
import type { Plan, PlanItem } from "./plan.ts";
import { RotationError, type Rotator } from "./rotator.ts";
import { boundedLine, redactSecrets } from "../secret-redaction.ts";
import { SinkError, type SecretSink } from "./sink.ts";
import type { RotationEvent } from "./events.ts";

export interface RunSettings {
  /** Items of one source in flight at once (default 4). */
  concurrency: number;
  /** Password writes per second per source; 0 = unlimited. */
  ratePerSecond: number;
  /** Stop starting items after this many consecutive failures; 0 = never stop. */
  stopAfterFailures: number;
  /** Shortest secret credgov generates, whatever the policy allows (default 32). */
  minimumLength: number;
}

export const defaultRunSettings: RunSettings = { concurrency: 4, ratePerSecond: 0, stopAfterFailures: 5, minimumLength: defaultSecretLength };

export interface RunContext {
  plan: Plan;
  planPath: string;
  planDigest: string;
  journalPath: string;
  /** Rotator per source id (built by the caller from the config). */
  rotators: ReadonlyMap<string, Rotator>;
  sink: SecretSink;
  settings: RunSettings;
  /** Hooks: item committed / item failed / run completed (never a secret). */
  emit?: (event: RotationEvent) => Promise<void>;
  log?: (message: string) => void;
}

export interface RunOutcome {
  outcome: "completed" | "stopped-after-failures";
  counts: Partial<Record<ItemState, number>>;
  items: Map<string, ItemProgress>;
}

/** First run of a plan: creates the journal (refuses an existing one). */
export async function applyPlan(context: RunContext): Promise<RunOutcome> {
  const lock = JournalLock.acquire(context.journalPath);
  try {
    const run: RunRecord = {
      type: "run", journalVersion: 1, planDigest: context.planDigest, plan: context.planPath,
      startedAt: new Date().toISOString(), fingerprintSalt: newSalt(), host: hostname(), pid: process.pid,
    };
    const writer = await JournalWriter.create(context.journalPath, run);
    try {
      const at = new Date().toISOString();
      await Promise.all(context.plan.items.map((item) => writer.append({ type: "item", item: item.id, state: "planned", at, attempt: 1 })));
      const items = new Map<string, ItemProgress>(context.plan.items.map((item) => [item.id, { item: item.id, state: "planned", lastGood: "planned", attempt: 0, firstAt: at, lastAt: at }]));
      return await runSession(context, run, writer, items, "apply");
    } finally {
      await writer.close();
    }
  } finally {
    lock.release();
  }
}

/** Re-drives a journal's unfinished items. The plan file must still have the approved digest. */
export async function resumeRun(context: Omit<RunContext, "planDigest">, planDigest: string): Promise<RunOutcome> {
  const lock = JournalLock.acquire(context.journalPath);
  try {
    const journal = await readJournal(context.journalPath);
    if (journal.run.planDigest !== planDigest) {
      throw new RotationError("resume", `the plan's digest ${planDigest} differs from the journal's approved ${journal.run.planDigest}: the plan changed after approval`);
    }
    const writer = await JournalWriter.reopen(context.journalPath, journal.completeLength);
    try {
      for (const item of context.plan.items) {
        if (!journal.items.has(item.id)) {
          const at = new Date().toISOString();
          journal.items.set(item.id, { item: item.id, state: "planned", lastGood: "planned", attempt: 0, firstAt: at, lastAt: at });
        }
      }
      return await runSession({ ...context, planDigest }, journal.run, writer, journal.items, "resume");
    } finally {
      await writer.close();
    }
  } finally {
    lock.release();
  }
}

async function runSession(context: RunContext, run: RunRecord, writer: JournalWriter, items: Map<string, ItemProgress>, command: "apply" | "resume"): Promise<RunOutcome> {
  await writer.append({ type: "session", event: "start", at: new Date().toISOString(), command, pid: process.pid });
  const driver = new ItemDriver(context, run, writer, items);
  const bySource = new Map<string, PlanItem[]>();
  for (const item of [...context.plan.items].sort((a, b) => a.order - b.order)) {
    const progress = items.get(item.id)!;
    if (progress.state === "committed" || progress.state === "skipped") continue;
    const list = bySource.get(item.source.id) ?? [];
    list.push(item);
    bySource.set(item.source.id, list);
  }
  await Promise.all([...bySource.entries()].map(([, list]) => driver.runSource(list)));
  const counts: Partial<Record<ItemState, number>> = {};
  for (const progress of items.values()) counts[progress.state] = (counts[progress.state] ?? 0) + 1;
  const outcome = driver.stopped ? "stopped-after-failures" : "completed";
  await writer.append({ type: "session", event: "end", at: new Date().toISOString(), command, pid: process.pid, outcome, counts });
  await context.emit?.({ type: "run.completed", planDigest: context.planDigest, outcome, counts, at: new Date().toISOString() });
  return { outcome, counts, items };
}

class ItemDriver {
  stopped = false;
  private consecutiveFailures = 0;
  private readonly nextWrite = new Map<string, number>();
  private readonly context: RunContext;
  private readonly run: RunRecord;
  private readonly writer: JournalWriter;
  private readonly items: Map<string, ItemProgress>;

  constructor(context: RunContext, run: RunRecord, writer: JournalWriter, items: Map<string, ItemProgress>) {
    this.context = context;
    this.run = run;
    this.writer = writer;
    this.items = items;
  }

  /** `concurrency` workers take the source's items in plan order. */
  async runSource(list: PlanItem[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < list.length) await this.drive(list[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.context.settings.concurrency) }, worker));
  }

  /** The rate limit applies to what the directory sees: each password write of a source waits
   *  for its slot (1 / ratePerSecond after the previous one). */
  private async pace(source: string): Promise<void> {
    const rate = this.context.settings.ratePerSecond;
    if (rate <= 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.nextWrite.get(source) ?? now);
    this.nextWrite.set(source, slot + 1000 / rate);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }

  private async drive(item: PlanItem): Promise<void> {
    const progress = this.items.get(item.id)!;
    const attempt = progress.attempt + 1;
    const rotator = this.context.rotators.get(item.source.id);
    if (!rotator) {
      await this.fail(item, progress, attempt, "rotator", new RotationError("rotator", `no ${item.rotator} rotator is configured for source ${item.source.id}`), []);
      return;
    }
    let step = "start";
    // Every secret this item's steps handled: a directory or sink may echo any of them in an
    // error, which then goes to the journal, the log and the hooks.
    const handled: string[] = [];
    try {
      const last: ForwardState = progress.state === "failed" ? progress.lastGood : isForward(progress.state) ? progress.state : "planned";
      let secret: string | undefined;
      let version = progress.sinkVersion;
      let ref = progress.ref;
      if (stateIndex(last) < stateIndex("stored-pending") || version === undefined) {
        // Nothing durable to continue from: a new secret.
        step = "generate";
        // A rotator may issue the secret itself (Entra addPassword, a deploy key pair) or decline
        // for this item (undefined): then a generated secret is set after it is stored pending.
        // One rate-limit slot per item: taken before issue (which writes to the directory) and,
        // when issue declines, used by the set below instead of a second one.
        const slotHeld = rotator.issue !== undefined;
        if (slotHeld) await this.pace(item.source.id);
        const issued = rotator.issue ? await rotator.issue(item) : undefined;
        secret = issued ? issued.secret : generateSecret(rotator.constraints(item), this.context.settings.minimumLength);
        handled.push(secret);
        if (issued) ref = issued.ref;
        const print = fingerprint(this.run.fingerprintSalt, secret!);
        await this.record(item, progress, attempt, "generated", { fingerprint: print, ...(ref ? { ref } : {}) });
        step = "store pending";
        version = await this.context.sink.putPending(item.sink.location, secret!, { planDigest: this.context.planDigest, item: item.id, fingerprint: print });
        await this.record(item, progress, attempt, "stored-pending", { sinkVersion: version, fingerprint: print });
        if (!issued) {
          step = "set";
          if (!slotHeld) await this.pace(item.source.id);
          ref = (await rotator.set(item, secret!)).ref;
        }
        await this.record(item, progress, attempt, "applied", ref ? { ref } : {});
        step = "verify";
        await this.verifyOrFail(item, rotator, secret!);
        await this.record(item, progress, attempt, "verified", {});
      } else if (stateIndex(last) < stateIndex("verified")) {
        // The pending secret is durable in the sink; the directory may or may not hold it.
        step = "read pending";
        secret = await this.pendingSecret(item, version, progress.fingerprint);
        handled.push(secret);
        step = "verify";
        const found = await this.findWorking(item, rotator, secret, last, handled);
        if (found !== "pending") {
          step = "set";
          await this.pace(item.source.id);
          ref = (await rotator.set(item, secret)).ref ?? ref;
          await this.record(item, progress, attempt, "applied", { detail: `resumed: ${found} secret worked, pending set again`, ...(ref ? { ref } : {}) });
          step = "verify";
          await this.verifyOrFail(item, rotator, secret);
        } else if (last !== "applied" && ref === undefined) {
          // Killed inside `set`: the secret took but the rest of the step (OpenLDAP's pwdReset
          // removal, AD's pwdLastSet) may not have run, leaving a user step. `set` is idempotent.
          step = "set";
          await this.pace(item.source.id);
          ref = (await rotator.set(item, secret)).ref;
          await this.record(item, progress, attempt, "applied", { detail: "resumed: pending secret already set, set again to finish the step", ...(ref ? { ref } : {}) });
        } else if (last !== "applied") {
          await this.record(item, progress, attempt, "applied", { detail: "resumed: pending secret already set" });
        }
        await this.record(item, progress, attempt, "verified", { detail: found === "pending" ? "resumed: pending secret works" : "resumed: set again and verified" });
      }
      if (stateIndex(progress.lastGood) < stateIndex("promoted")) {
        step = "promote";
        await this.context.sink.promote(item.sink.location, version!);
        await this.record(item, progress, attempt, "promoted", { sinkVersion: version });
      }
      if (rotator.retire) {
        step = "retire";
        await rotator.retire(item, ref);
      }
      step = "commit";
      await this.record(item, progress, attempt, "committed", {});
      this.consecutiveFailures = 0;
      await this.context.emit?.({ type: "item.committed", planDigest: this.context.planDigest, item: item.id, account: item.account.name, source: item.source.id, credential: item.credential, sinkVersion: version!, at: new Date().toISOString() });
    } catch (error) {
      await this.fail(item, progress, attempt, step, error, handled);
    }
  }

  /** After a crash before "verified": which secret does the directory hold? */
  private async findWorking(item: PlanItem, rotator: Rotator, pending: string, last: ForwardState, handled: string[]): Promise<"pending" | "previous" | "neither" | "unverifiable"> {
    const pendingWorks = await rotator.verify(item, pending);
    if (pendingWorks === "works") return "pending";
    if (pendingWorks === "unverifiable") return "unverifiable";
    if (last !== "applied") return "previous"; // never sent to the directory: it holds the old one
    const previous = await this.context.sink.read(item.sink.location, "current").catch(() => undefined);
    if (previous) handled.push(previous.secret);
    if (previous && (await rotator.verify(item, previous.secret)) === "works") return "previous";
    return "neither";
  }

  private async verifyOrFail(item: PlanItem, rotator: Rotator, secret: string): Promise<void> {
    const result = await rotator.verify(item, secret);
    if (result === "rejected") throw new RotationError("verify", `${item.account.name}: the directory accepted the new password but a bind with it was refused`);
  }

  private async pendingSecret(item: PlanItem, version: number, expected: string | undefined): Promise<string> {
    const pending = await this.context.sink.read(item.sink.location, "pending");
    if (!pending || pending.version !== version) {
      throw new SinkError(item.sink.location, "read pending", `the sink no longer holds pending version ${version} (found ${pending ? `pending ${pending.version}` : "none"})`);
    }
    if (expected && fingerprint(this.run.fingerprintSalt, pending.secret) !== expected) {
      throw new SinkError(item.sink.location, "read pending", `pending version ${version} is not the secret this run generated (fingerprint differs)`);
    }
    return pending.secret;
  }

  private async record(item: PlanItem, progress: ItemProgress, attempt: number, state: ForwardState, extra: Partial<ItemRecord>): Promise<void> {
    const at = new Date().toISOString();
    await this.writer.append({ type: "item", item: item.id, state, at, attempt, ...extra });
    progress.state = state;
    progress.lastGood = state;
    progress.attempt = attempt;
    progress.lastAt = at;
    progress.error = undefined;
    if (extra.fingerprint) progress.fingerprint = extra.fingerprint;
    if (extra.sinkVersion !== undefined) progress.sinkVersion = extra.sinkVersion;
    if (extra.ref) progress.ref = extra.ref;
    if (extra.detail) progress.detail = extra.detail;
    if (state === "generated") progress.sinkVersion = extra.sinkVersion;
    if (state === "verified") progress.verifiedAt = at;
    if (state === "committed") progress.committedAt = at;
  }

  private async fail(item: PlanItem, progress: ItemProgress, attempt: number, step: string, error: unknown, handled: readonly string[]): Promise<void> {
    const failure = describeFailure(step, error, handled);
    const at = new Date().toISOString();
    await this.writer.append({ type: "item", item: item.id, state: "failed", at, attempt, lastGood: progress.lastGood, error: failure });
    progress.state = "failed";
    progress.attempt = attempt;
    progress.lastAt = at;
    progress.error = failure;
    this.context.log?.(`${item.account.name} (${item.source.id}): ${failure.step}: ${failure.message}`);
    this.consecutiveFailures++;
    const limit = this.context.settings.stopAfterFailures;
    if (limit > 0 && this.consecutiveFailures >= limit) this.stopped = true;
    await this.context.emit?.({ type: "item.failed", planDigest: this.context.planDigest, item: item.id, account: item.account.name, source: item.source.id, credential: item.credential, step: failure.step, message: failure.message, lastGood: progress.lastGood, at });
  }
}

/** Longest failure message journaled: room for credgov's words and a bounded server reply. */
const maxFailureMessageLength = 1000;

/** The journaled failure: the message with every secret the item handled redacted (whatever
 *  layer built it, a server's echo included), on one bounded line. */
function describeFailure(step: string, error: unknown, handled: readonly string[]): NonNullable<ItemRecord["error"]> {
  const safe = (message: string) => boundedLine(redactSecrets(message, handled, 4 * maxFailureMessageLength), maxFailureMessageLength);
  if (error instanceof RotationError || error instanceof SinkError) {
    return { step: error.step || step, message: safe(error.message), ...(error.code ? { code: error.code } : {}), transient: error.transient };
  }
  return { step, message: safe(error instanceof Error ? error.message : String(error)) };
}
