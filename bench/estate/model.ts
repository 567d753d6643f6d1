// The fictional estate as one model: people and workloads with the facts every directory
// holds about them. Each writer (ad, ldap, entra, github) renders its own export from this
// model, so the same person is correlated across sources the way a real hybrid estate is.
import { Random } from "./random.ts";

/** Where an estate lives: its AD domain, Entra tenant, GitHub organisation and legacy LDAP. */
export interface Names {
  domain: { dns: string; netbios: string; dn: string; sid: string };
  tenant: { id: string; domain: string; federatedDomain: string | null; initialDomain: string };
  githubOrg: string;
  githubOrgName: string;
  legacyDn: string;
  /** Prefix of every person's sAMAccountName, so two estates never share account names. */
  samPrefix: string;
}

/** A well-run subsidiary in the demo: its own domain, tenant and organisation. */
export const NORTHWIND: Names = {
  domain: { dns: "northwind.example", netbios: "NORTHWIND", dn: "DC=northwind,DC=example", sid: "S-1-5-21-1004336348-1177238915-682003330" },
  tenant: { id: "0d9c2e71-5b4a-4f3e-a1c2-7e8f9a0b1c2d", domain: "northwind.example", federatedDomain: null, initialDomain: "northwindlabs.onmicrosoft.com" },
  githubOrg: "northwind-labs",
  githubOrgName: "Northwind Labs",
  legacyDn: "dc=northwind-legacy,dc=example",
  samPrefix: "nw.",
};

export const CORP: Names = {
  domain: { dns: "corp.example", netbios: "CORP", dn: "DC=corp,DC=example", sid: "S-1-5-21-3623811015-3361044348-30300820" },
  tenant: { id: "6b1a3f4e-8a0c-4c1e-9d2a-5e7f10c2d3a4", domain: "corp.example", federatedDomain: "partners.corp.example", initialDomain: "corpexample.onmicrosoft.com" },
  githubOrg: "corp-example",
  githubOrgName: "Corp Example",
  legacyDn: "dc=legacy,dc=example",
  samPrefix: "",
};

export type Ou = "Staff" | "Admins" | "Service Accounts" | "Contractors";

export interface Person {
  sam: string;
  given: string;
  surname: string;
  upn: string;
  mail: string;
  guid: string;
  rid: number;
  ou: Ou;
  department: string;
  enabled: boolean;
  /** AD groups beyond Domain Users (privileged ones make the account privileged). */
  groups: string[];
  managerSam?: string;
  created: Date;
  ad: {
    /** null: password set at `pwdLastSet` normally; "must-change": pwdLastSet = 0. */
    pwdLastSet: Date | "must-change";
    lastLogon: Date | null;
    uacFlags: number;
  };
  entra?: {
    objectId: string;
    /** Synced from AD (onPremisesImmutableId) or cloud-only. */
    synced: boolean;
    forceChange: boolean;
    lastPasswordChange: Date;
    neverExpires: boolean;
    roles: string[];
    ssprRegistered: boolean;
    enabled: boolean;
  };
  ldap?: { uid: string; pwdReset: boolean; pwdChanged: Date; policy: "default" | "strict"; ownerSam?: string; locked?: boolean };
  github?: { login: string; id: number; admin: boolean; samlLinked: boolean; pat?: { created: Date; expires: Date | null; accessed: Date } };
}

export interface ServiceAccount {
  sam: string;
  guid: string;
  rid: number;
  spns: string[];
  gmsa: boolean;
  pwdLastSet: Date;
  created: Date;
  managedBy?: string;
  uacFlags: number;
  enabled: boolean;
  privileged: boolean;
}

export interface Computer {
  name: string;
  guid: string;
  rid: number;
  laps: "legacy" | "windows" | "none";
  lapsExpires: Date | null;
  pwdLastSet: Date;
  created: Date;
}

export interface EntraCredential {
  keyId: string;
  displayName: string;
  start: Date;
  end: Date;
  kind: "secret" | "certificate";
}

export interface App {
  appId: string;
  objectId: string;
  spObjectId: string;
  displayName: string;
  created: Date;
  credentials: EntraCredential[];
  /** Owner UPNs; a UPN absent from the people list is a deleted owner. */
  owners: string[];
}

export interface LegacyServiceAccount {
  uid: string;
  ownerSam?: string;
  pwdChanged: Date;
}

export interface Repo {
  name: string;
  secrets: Array<{ name: string; created: Date; updated: Date }>;
  deployKeys: Array<{ id: number; title: string; readOnly: boolean; created: Date; lastUsed: Date | null }>;
}

export interface Estate {
  names: Names;
  now: Date;
  people: Person[];
  services: ServiceAccount[];
  computers: Computer[];
  apps: App[];
  legacyServices: LegacyServiceAccount[];
  repos: Repo[];
  orgSecrets: Array<{ name: string; created: Date; updated: Date; visibility: "all" | "private" | "selected" }>;
  bots: Array<{ login: string; id: number }>;
  krbtgtPwdLastSet: Date;
  settings: {
    twoFactorRequired: boolean;
    passwordWriteback: boolean;
    passwordHashSync: boolean;
    cloudPasswordPolicyForSyncedUsers: boolean;
    ssprForAdmins: boolean;
    domainPolicy: { minLength: number; history: number; maxAgeDays: number; minAgeDays: number; lockout: number; complexity: boolean; reversible: boolean };
    legacyPolicy: { minLength: number; maxAgeDays: number; history: number; mustChange: boolean };
  };
}

export const UAC = {
  disabled: 0x2,
  passwdNotRequired: 0x20,
  reversible: 0x80,
  normal: 0x200,
  workstation: 0x1000,
  dontExpire: 0x10000,
  desOnly: 0x200000,
  noPreauth: 0x400000,
} as const;

const GIVEN = ["Ada", "Ben", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe"];
const SURNAMES = ["Abbott", "Becker", "Castro", "Diallo", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhou"];
const DEPARTMENTS = ["Finance", "Engineering", "Sales", "Operations", "HR", "Legal", "Support"];

function uuid(rng: Random): string {
  const b = rng.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const DAY = 86_400_000;
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

export interface GenerateOptions {
  people: number;
  seed: number;
  now: Date;
  names?: Names;
}

/**
 * A baseline estate of `people` staff with proportional workloads. Problems occur at low,
 * seeded rates so benchmark scans have realistic findings; the demo adds named scenarios.
 */
export function generateBaseline({ people: count, seed, now, names = CORP }: GenerateOptions): Estate {
  const rng = new Random(seed);
  const DOMAIN = names.domain;
  const people: Person[] = [];
  let rid = 1200;
  for (let i = 0; i < count; i++) {
    const given = GIVEN[i % GIVEN.length];
    const surname = SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length];
    const suffix = i >= GIVEN.length * SURNAMES.length ? String(Math.floor(i / (GIVEN.length * SURNAMES.length))) : "";
    const sam = `${names.samPrefix}${given[0]}${surname}${suffix}`.toLowerCase();
    const upn = `${sam}@${DOMAIN.dns}`;
    const enabled = !rng.chance(0.04);
    const created = daysBefore(now, rng.int(30, 2500));
    const p: Person = {
      sam,
      given,
      surname,
      upn,
      mail: upn,
      guid: uuid(rng),
      rid: rid++,
      ou: rng.chance(0.1) ? "Contractors" : "Staff",
      department: rng.pick(DEPARTMENTS),
      enabled,
      groups: [],
      created,
      ad: {
        pwdLastSet: rng.chance(0.01) ? "must-change" : daysBefore(now, rng.int(1, 40)),
        lastLogon: rng.chance(0.1) ? null : daysBefore(now, rng.int(0, 30)),
        uacFlags: (rng.chance(0.005) ? UAC.passwdNotRequired : 0) | (rng.chance(0.02) ? UAC.dontExpire : 0),
      },
    };
    if (i > 0 && rng.chance(0.9)) p.managerSam = people[rng.int(0, Math.max(0, Math.min(i - 1, 50)))].sam;
    const pwd = p.ad.pwdLastSet === "must-change" ? now : p.ad.pwdLastSet;
    p.entra = {
      objectId: uuid(rng),
      synced: true,
      forceChange: false,
      // Hash sync normally lands within minutes of the AD change.
      lastPasswordChange: new Date(pwd.getTime() + rng.int(1, 30) * 60_000),
      neverExpires: true,
      roles: [],
      ssprRegistered: rng.chance(0.7),
      enabled,
    };
    if (rng.chance(0.15)) {
      p.ldap = { uid: sam, pwdReset: rng.chance(0.01), pwdChanged: daysBefore(now, rng.int(1, 80)), policy: "default" };
    }
    if (rng.chance(0.1)) {
      p.github = { login: `${sam}-gh`, id: 100000 + i, admin: rng.chance(0.02), samlLinked: !rng.chance(0.05) };
      if (rng.chance(0.3)) p.github.pat = { created: daysBefore(now, rng.int(1, 400)), expires: rng.chance(0.5) ? daysBefore(now, -rng.int(1, 90)) : null, accessed: daysBefore(now, rng.int(0, 20)) };
    }
    people.push(p);
  }
  // A few administrators per thousand, with their own admin accounts.
  const adminCount = Math.max(2, Math.floor(count / 400));
  for (let i = 0; i < adminCount; i++) {
    const base = people[i];
    const adm: Person = {
      ...base,
      sam: `adm-${base.sam}`,
      upn: `adm-${base.sam}@${DOMAIN.dns}`,
      mail: `adm-${base.sam}@${DOMAIN.dns}`,
      guid: uuid(rng),
      rid: rid++,
      ou: "Admins",
      groups: [i % 3 === 0 ? "Domain Admins" : "Server Operators"],
      ad: { pwdLastSet: daysBefore(now, rng.int(5, 60)), lastLogon: daysBefore(now, 1), uacFlags: 0 },
      entra: { ...base.entra!, objectId: uuid(rng), roles: i % 3 === 0 ? ["Global Administrator"] : [], ssprRegistered: true },
      ldap: undefined,
      github: undefined,
    };
    people.push(adm);
  }
  // A help desk that resets staff passwords in AD and Entra.
  for (let i = adminCount; i < adminCount + Math.max(2, Math.floor(count / 500)); i++) {
    people[i].groups.push("Help Desk");
    people[i].entra!.roles.push("Helpdesk Administrator");
  }
  const services: ServiceAccount[] = [];
  const serviceCount = Math.max(3, Math.floor(count / 20));
  for (let i = 0; i < serviceCount; i++) {
    const gmsa = rng.chance(0.3);
    const sam = gmsa ? `gmsa-app${i}$` : `svc-app${i}`;
    services.push({
      sam,
      guid: uuid(rng),
      rid: rid++,
      spns: rng.chance(0.7) ? [`HTTP/app${i}.${DOMAIN.dns}`] : [],
      gmsa,
      pwdLastSet: daysBefore(now, gmsa ? rng.int(1, 30) : rng.int(10, 900)),
      created: daysBefore(now, rng.int(100, 3000)),
      managedBy: rng.chance(0.85) ? people[rng.int(0, people.length - 1)].sam : undefined,
      uacFlags: gmsa ? UAC.workstation : UAC.normal | (rng.chance(0.5) ? UAC.dontExpire : 0),
      enabled: true,
      privileged: false,
    });
  }
  const computers: Computer[] = [];
  for (let i = 0; i < Math.max(2, Math.floor(count / 4)); i++) {
    const laps = rng.chance(0.6) ? "windows" : rng.chance(0.5) ? "legacy" : "none";
    computers.push({
      name: `WS${String(i).padStart(5, "0")}`,
      guid: uuid(rng),
      rid: rid++,
      laps,
      lapsExpires: laps === "none" ? null : daysBefore(now, -rng.int(1, 30)),
      pwdLastSet: daysBefore(now, rng.int(1, 30)),
      created: daysBefore(now, rng.int(30, 2000)),
    });
  }
  const apps: App[] = [];
  for (let i = 0; i < Math.max(2, Math.floor(count / 50)); i++) {
    const start = daysBefore(now, rng.int(1, 400));
    const credentials: EntraCredential[] = [{ keyId: uuid(rng), displayName: "primary", start, end: new Date(start.getTime() + rng.pick([180, 365, 730]) * DAY), kind: "secret" }];
    if (rng.chance(0.2)) credentials.push({ keyId: uuid(rng), displayName: "signing", start, end: new Date(start.getTime() + 365 * DAY), kind: "certificate" });
    apps.push({
      appId: uuid(rng),
      objectId: uuid(rng),
      spObjectId: uuid(rng),
      displayName: `Line-of-business app ${i}`,
      created: daysBefore(now, rng.int(400, 1500)),
      credentials,
      owners: rng.chance(0.9) ? [people[rng.int(0, people.length - 1)].upn] : [],
    });
  }
  const repos: Repo[] = [];
  for (let i = 0; i < Math.max(2, Math.floor(count / 100)); i++) {
    repos.push({
      name: `service-${i}`,
      secrets: [{ name: "DEPLOY_TOKEN", created: daysBefore(now, rng.int(30, 600)), updated: daysBefore(now, rng.int(1, 200)) }],
      deployKeys: rng.chance(0.5) ? [{ id: 5000 + i, title: `deploy-${i}`, readOnly: rng.chance(0.7), created: daysBefore(now, rng.int(1, 500)), lastUsed: daysBefore(now, rng.int(0, 30)) }] : [],
    });
  }
  return {
    names,
    now,
    people,
    services,
    computers,
    apps,
    legacyServices: [],
    repos,
    orgSecrets: [{ name: "NPM_TOKEN", created: daysBefore(now, 300), updated: daysBefore(now, 20), visibility: "private" }],
    bots: [{ login: "release-bot", id: 990001 }],
    krbtgtPwdLastSet: daysBefore(now, 60),
    settings: {
      twoFactorRequired: true,
      passwordWriteback: true,
      passwordHashSync: true,
      cloudPasswordPolicyForSyncedUsers: false,
      ssprForAdmins: false,
      domainPolicy: { minLength: 14, history: 24, maxAgeDays: 0, minAgeDays: 1, lockout: 10, complexity: true, reversible: false },
      legacyPolicy: { minLength: 14, maxAgeDays: 0, history: 12, mustChange: false },
    },
  };
}
