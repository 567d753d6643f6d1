// The demo company's deliberate problems: named accounts that each tell one story an auditor
// recognises, layered on a mostly healthy baseline. Every control of the policy library fails
// for at least one subject here and passes for others.
import { UAC, daysBefore, type Estate, type Person } from "./model.ts";

function person(estate: Estate, sam: string, given: string, surname: string, patch: Partial<Person> = {}): Person {
  const template = estate.people[0];
  const DOMAIN = estate.names.domain;
  const rid = 9000 + estate.people.length;
  const hex = rid.toString(16).padStart(12, "0");
  const p: Person = {
    ...template,
    sam,
    given,
    surname,
    upn: `${sam}@${DOMAIN.dns}`,
    mail: `${sam}@${DOMAIN.dns}`,
    guid: `d3m0${hex.slice(0, 4)}-0000-4000-8000-${hex}`.replace("d3m0", "d3a0"),
    rid,
    ou: "Staff",
    enabled: true,
    groups: [],
    managerSam: undefined,
    ad: { pwdLastSet: daysBefore(estate.now, 10), lastLogon: daysBefore(estate.now, 1), uacFlags: 0 },
    entra: { objectId: `e0${hex.slice(2)}-1111-4111-8111-${hex}`, synced: true, forceChange: false, lastPasswordChange: daysBefore(estate.now, 10), neverExpires: true, roles: [], ssprRegistered: true, enabled: true },
    ldap: undefined,
    github: undefined,
    ...patch,
  };
  estate.people.push(p);
  return p;
}

/**
 * Northwind Labs, the acquired subsidiary, runs its own domain, tenant and organisation the
 * way the controls ask: krbtgt rotated, no forced expiry, 14 characters, writeback on,
 * no SSPR for admins, 2FA required. It gives single-subject controls a passing subject.
 */
export function applySubsidiarySettings(estate: Estate): void {
  const s = estate.settings;
  s.passwordWriteback = true;
  s.ssprForAdmins = false;
  s.twoFactorRequired = true;
  s.domainPolicy = { minLength: 14, history: 24, maxAgeDays: 0, minAgeDays: 1, lockout: 10, complexity: true, reversible: false };
  estate.krbtgtPwdLastSet = daysBefore(estate.now, 45);
}

export function applyDemoScenarios(estate: Estate): void {
  const now = estate.now;
  const DOMAIN = estate.names.domain;
  const s = estate.settings;
  // Tenant and org settings: SSPR for everyone (admins too) with writeback off, no 2FA rule.
  s.passwordWriteback = false;
  s.ssprForAdmins = true;
  s.twoFactorRequired = false;
  // The domain still forces 90-day expiry with 8 characters; the legacy LDAP disagrees.
  s.domainPolicy = { minLength: 8, history: 24, maxAgeDays: 90, minAgeDays: 1, lockout: 10, complexity: true, reversible: false };
  s.legacyPolicy = { minLength: 10, maxAgeDays: 60, history: 5, mustChange: true };
  estate.krbtgtPwdLastSet = new Date("2023-01-15T10:00:00Z");

  // CG-RESET-001: new hire still on the help desk's temporary password (AD), the same
  // story in Entra (cloud-only contractor) and in the legacy LDAP (pwdReset).
  person(estate, "tina.temp", "Tina", "Temp", { ad: { pwdLastSet: "must-change", lastLogon: null, uacFlags: 0 } });
  person(estate, "gary.gone", "Gary", "Gone", { enabled: false, ad: { pwdLastSet: "must-change", lastLogon: null, uacFlags: UAC.disabled } });
  const contractor = person(estate, "carl.contract", "Carl", "Contract", { ou: "Contractors" });
  contractor.entra = { ...contractor.entra!, synced: false, forceChange: true };
  person(estate, "lars.legacy", "Lars", "Legacy", { ldap: { uid: "lars.legacy", pwdReset: true, pwdChanged: daysBefore(now, 2), policy: "default" } });

  // CG-RESET-003 / HYG-006: a domain admin whose account sits in the Staff OU (help desk can
  // reset it) and whose password never expires and is two years old.
  person(estate, "adm-olga", "Olga", "Ops", {
    groups: ["Domain Admins"],
    ad: { pwdLastSet: daysBefore(now, 730), lastLogon: daysBefore(now, 3), uacFlags: UAC.dontExpire },
    entra: { objectId: "e0a00001-1111-4111-8111-00000000a001", synced: true, forceChange: false, lastPasswordChange: daysBefore(now, 730), neverExpires: true, roles: ["Global Administrator"], ssprRegistered: true, enabled: true },
  });
  // A well-run tier-0 admin in the Admins OU: the passing case.
  // Its legacy LDAP account follows the strict ppolicy, which agrees with the tier-0 PSO
  // (15 characters, no expiry, 24 remembered): CG-FRAG-001's passing identity.
  person(estate, "adm-paul", "Paul", "Proper", {
    ou: "Admins",
    groups: ["Tier0 Operators"],
    ad: { pwdLastSet: daysBefore(now, 20), lastLogon: daysBefore(now, 1), uacFlags: 0 },
    ldap: { uid: "adm-paul", pwdReset: false, pwdChanged: daysBefore(now, 20), policy: "strict" },
  });

  // CG-HYG-001 / HYG-002: legacy flags left on enabled accounts.
  person(estate, "nopass.kiosk", "Kiosk", "Terminal", { ad: { pwdLastSet: daysBefore(now, 30), lastLogon: daysBefore(now, 1), uacFlags: UAC.passwdNotRequired } });
  person(estate, "rev.crypt", "Rita", "Reversible", { ad: { pwdLastSet: daysBefore(now, 30), lastLogon: daysBefore(now, 1), uacFlags: UAC.reversible } });
  person(estate, "asrep.roast", "Arne", "Preauth", { ad: { pwdLastSet: daysBefore(now, 30), lastLogon: daysBefore(now, 1), uacFlags: UAC.noPreauth | UAC.desOnly } });

  // CG-FRAG-002: AD password changed 12 days ago, Entra still has the old one (sync broken).
  const drift = person(estate, "sam.sync", "Sam", "Sync", { ad: { pwdLastSet: daysBefore(now, 3), lastLogon: daysBefore(now, 1), uacFlags: 0 } });
  drift.entra!.lastPasswordChange = daysBefore(now, 15);

  // CG-FRAG-001 / FRAG-003 / FRAG-004: one person in AD, Entra and the legacy LDAP with
  // different policies, different owners (managers), resettable in each.
  const mgrA = person(estate, "mona.manager", "Mona", "Manager", { ldap: { uid: "mona.manager", pwdReset: false, pwdChanged: daysBefore(now, 20), policy: "default" } });
  const mgrB = person(estate, "max.other", "Max", "Other", { ldap: { uid: "max.other", pwdReset: false, pwdChanged: daysBefore(now, 20), policy: "default" } });
  const frag = person(estate, "fran.frag", "Fran", "Fragment", { managerSam: mgrA.sam, ldap: { uid: "fran.frag", pwdReset: false, pwdChanged: daysBefore(now, 40), policy: "default", ownerSam: mgrB.sam } });
  void frag;

  // Service accounts (CG-RESET-005, NHI-001, NHI-004, HYG-006).
  const leaver = person(estate, "len.leaver", "Len", "Leaver", { enabled: false, ad: { pwdLastSet: daysBefore(now, 400), lastLogon: daysBefore(now, 300), uacFlags: UAC.disabled } });
  leaver.entra!.enabled = false;
  const svc = (sam: string, patch: Partial<Estate["services"][number]>) =>
    estate.services.push({ sam, guid: `5e5e${String(estate.services.length).padStart(4, "0")}-0000-4000-8000-${String(estate.services.length).padStart(12, "0")}`, rid: 8000 + estate.services.length, spns: [], gmsa: false, pwdLastSet: daysBefore(now, 30), created: daysBefore(now, 2000), uacFlags: UAC.normal, enabled: true, privileged: false, ...patch });
  svc("svc-backup", { spns: [`MSSQLSvc/backup01.${DOMAIN.dns}:1433`], pwdLastSet: daysBefore(now, 1100), uacFlags: UAC.normal | UAC.dontExpire, managedBy: leaver.sam });
  svc("svc-sql", { spns: [`MSSQLSvc/sql01.${DOMAIN.dns}:1433`], pwdLastSet: daysBefore(now, 500), uacFlags: UAC.normal | UAC.dontExpire, managedBy: mgrA.sam, privileged: true });
  svc("svc-orphan", { spns: [`HTTP/intranet.${DOMAIN.dns}`], pwdLastSet: daysBefore(now, 200), managedBy: "deleted.owner" });
  svc("gmsa-web$", { spns: [`HTTP/web.${DOMAIN.dns}`], gmsa: true, pwdLastSet: daysBefore(now, 12), uacFlags: UAC.workstation, managedBy: mgrA.sam });

  // Entra applications (FRAG-005, NHI-001, NHI-002, NHI-004).
  const iso = (days: number) => daysBefore(now, days);
  const app = (name: string, credentials: Estate["apps"][number]["credentials"], owners: string[]) =>
    estate.apps.push({ appId: `a${String(estate.apps.length).padStart(7, "0")}-2222-4222-8222-${String(estate.apps.length).padStart(12, "0")}`, objectId: `b${String(estate.apps.length).padStart(7, "0")}-3333-4333-8333-${String(estate.apps.length).padStart(12, "0")}`, spObjectId: `c${String(estate.apps.length).padStart(7, "0")}-4444-4444-8444-${String(estate.apps.length).padStart(12, "0")}`, displayName: name, created: iso(900), credentials, owners });
  const cred = (displayName: string, startDays: number, lifetimeDays: number, kind: "secret" | "certificate" = "secret") => ({ keyId: `${displayName.length}f${startDays}`.padEnd(8, "0") + `-5555-4555-8555-${String(startDays * 1000 + lifetimeDays).padStart(12, "0")}`, displayName, start: iso(startDays), end: iso(startDays - lifetimeDays), kind });
  app("Payroll Connector", [cred("2024", 700, 730), cred("2025", 300, 730), cred("2026", 30, 730)], [mgrA.upn]);
  app("Legacy CRM Sync", [cred("expired-2024", 800, 365), cred("current", 40, 180)], [leaver.upn]);
  app("Forgotten Reporting", [cred("forever", 1200, 36500)], ["departed.user@corp.example"]);
  app("Well Run API", [cred("current", 20, 90)], [mgrA.upn, mgrB.upn]);

  // Legacy LDAP bind accounts.
  estate.legacyServices.push({ uid: "app-billing", ownerSam: mgrB.sam, pwdChanged: daysBefore(now, 700) });
  estate.legacyServices.push({ uid: "app-ledger", pwdChanged: daysBefore(now, 30) });

  // GitHub (NHI-003, SAAS-001).
  estate.repos.push({
    name: "payments-service",
    secrets: [{ name: "PROD_DB_PASSWORD", created: iso(900), updated: iso(420) }, { name: "SENTRY_DSN", created: iso(60), updated: iso(5) }],
    deployKeys: [{ id: 77001, title: "prod-deployer", readOnly: false, created: iso(610), lastUsed: iso(1) }, { id: 77002, title: "docs-mirror", readOnly: true, created: iso(610), lastUsed: iso(3) }],
  });
  const dev = person(estate, "gia.dev", "Gia", "Developer");
  dev.github = { login: "gia-dev", id: 4242, admin: true, samlLinked: true, pat: { created: iso(500), expires: null, accessed: iso(1) } };
}
