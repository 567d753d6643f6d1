// Synthetic snapshot data for the compiler benchmark, shaped by src/snapshot/types.ts and
// deterministic (seeded), so runs at the same size evaluate the same estate.
import type { Account, Credential, ResetPath } from "../../src/snapshot/types.ts";
import { seededRandom } from "../../test/seeded-random.ts";

export interface BenchInput {
  cutoffs: { now: string; days30: string; days90: string; days180: string };
  accounts: Account[];
  credentials: Credential[];
  resetPaths: ResetPath[];
}

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function generateInput(accountCount: number, seed = 42): BenchInput {
  const rnd = seededRandom(seed);
  const chance = (p: number) => rnd() < p;
  const daysAgo = (max: number) => iso(NOW - Math.floor(rnd() * max) * DAY);
  const kinds = ["human", "human", "human", "service", "computer", "application"] as const;
  const accounts: Account[] = [];
  const credentials: Credential[] = [];
  const resetPaths: ResetPath[] = [];
  for (let i = 0; i < accountCount; i++) {
    const kind = kinds[Math.floor(rnd() * kinds.length)];
    const id = `ad:corp:${i}`;
    const privileged = chance(0.03);
    const owners: Account["owners"] = chance(0.7)
      ? [{ ref: `ad:corp:${Math.floor(rnd() * accountCount)}`, source: "corp-ad", relation: "managedBy", status: chance(0.05) ? "disabled" : "enabled" }]
      : [];
    accounts.push({
      id,
      source: "corp-ad",
      nativeIds: { samAccountName: `u${i}` },
      name: `${kind === "service" || chance(0.01) ? "svc-" : "u"}${i}`,
      kind,
      enabled: chance(0.9),
      privileged,
      owners,
      passwordLastSet: chance(0.02) ? null : daysAgo(720),
      lastLogon: chance(0.05) ? null : daysAgo(400),
      flags: {
        passwordNeverExpires: chance(0.1),
        passwordNotRequired: chance(0.01),
        reversibleEncryption: chance(0.005),
        desOnly: chance(0.002),
        noPreauth: chance(0.004),
        trustedForDelegation: chance(0.01),
      },
      spns: kind === "service" && chance(0.5) ? [`HTTP/app${i}.corp.example`] : [],
      gmsa: kind === "service" && chance(0.3),
      laps: kind === "computer" ? { kind: chance(0.2) ? "none" : "windows" } : null,
      syncedFromOnPrem: chance(0.6),
    });
    if (kind === "application" || kind === "service") {
      credentials.push({
        id: `cred:${i}`,
        account: id,
        source: "corp-ad",
        type: kind === "application" ? "clientSecret" : "password",
        created: daysAgo(900),
        expires: chance(0.5) ? daysAgo(400) : iso(NOW + 90 * DAY),
        managedBy: chance(0.4) ? "user" : "enterprise",
        rotation: chance(0.5) ? "none" : "vault",
      });
    }
    if (chance(0.3)) {
      resetPaths.push({
        id: `reset:${i}`,
        source: "corp-ad",
        target: id,
        mechanism: chance(0.5) ? "helpdesk" : "sspr",
        actor: { kind: "group", id: "helpdesk" },
        requiresUserCompletion: chance(0.4),
      });
    }
  }
  return {
    cutoffs: { now: iso(NOW), days30: iso(NOW - 30 * DAY), days90: iso(NOW - 90 * DAY), days180: iso(NOW - 180 * DAY) },
    accounts,
    credentials,
    resetPaths,
  };
}
