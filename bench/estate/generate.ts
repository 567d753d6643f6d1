// Writes a synthetic estate (AD and legacy LDAP as LDIF, Entra and GitHub as API response
// bodies, plus credgov.yaml) for benchmarks, or the bundled demo estate with `--demo`.
//   node bench/estate/generate.ts --accounts 100000 --out /tmp/estate-100k
//   node bench/estate/generate.ts --demo --out examples/demo
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { NORTHWIND, generateBaseline, type Estate } from "./model.ts";
import { applyDemoScenarios, applySubsidiarySettings } from "./demo-scenarios.ts";
import { writeAd } from "./write-ad.ts";
import { writeLdap } from "./write-ldap.ts";
import { writeEntra } from "./write-entra.ts";
import { writeGithub } from "./write-github.ts";

export const DEMO = { people: 240, seed: 20261101, now: new Date("2026-11-01T08:00:00Z") };

/** People needed for about `accounts` snapshot accounts: each person has an AD and an Entra
 *  account, 15% a legacy LDAP one, 10% a GitHub one, plus 0.25 workstations, 0.05 service
 *  accounts and 0.02 Entra apps (application + service principal) per person. */
export function peopleForAccounts(accounts: number): number {
  return Math.max(10, Math.round(accounts / 2.59));
}

export function buildEstate(options: { people: number; seed: number; now: Date; demo: boolean }): Estate {
  const estate = generateBaseline(options);
  if (options.demo) applyDemoScenarios(estate);
  return estate;
}

/** The demo's well-run subsidiary (its own AD domain, Entra tenant and GitHub org). */
export function buildSubsidiary(): Estate {
  const estate = generateBaseline({ people: 24, seed: DEMO.seed + 1, now: DEMO.now, names: NORTHWIND });
  applySubsidiarySettings(estate);
  return estate;
}

export async function writeSubsidiary(estate: Estate, outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await writeAd(estate, join(outDir, "ad.ldif"));
  await writeEntra(estate, join(outDir, "entra"));
  await writeGithub(estate, join(outDir, "github"));
}

const SUBSIDIARY_SOURCES = `  # Northwind Labs, the acquired subsidiary: its own domain, tenant and organisation.
  - id: northwind-ad
    kind: ad
    file: northwind/ad.ldif
  - id: northwind-entra
    kind: entra
    dir: northwind/entra
  - id: northwind-github
    kind: github
    dir: northwind/github
`;

export async function writeEstate(estate: Estate, outDir: string, subsidiary?: Estate): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  if (subsidiary) await writeSubsidiary(subsidiary, join(outDir, "northwind"));
  await writeAd(estate, join(outDir, "ad.ldif"));
  await writeLdap(estate, join(outDir, "ldap.ldif"));
  await writeEntra(estate, join(outDir, "entra"));
  await writeGithub(estate, join(outDir, "github"));
  writeFileSync(
    join(outDir, "credgov.yaml"),
    `# yaml-language-server: $schema=../../schemas/credgov.config.schema.json
# Corp Example: a fictional hybrid estate (on-prem AD synced to Entra ID, GitHub with SAML
# SSO, and a legacy OpenLDAP still used by older applications), read from exports.
version: 1
sources:
  - id: corp-ad
    kind: ad
    file: ad.ldif
  - id: legacy-ldap
    kind: ldap
    file: ldap.ldif
    defaultPolicyDN: cn=default,ou=policies,dc=legacy,dc=example
    ownerAttributes: [owner, manager]
  - id: entra
    kind: entra
    dir: entra
  - id: github
    kind: github
    dir: github
${subsidiary ? SUBSIDIARY_SOURCES : ""}thresholds:
  rotationDays: 90
  maxSecretLifetimeDays: 180
  syncWindowHours: 24
  krbtgtMaxAgeDays: 180
  minPasswordLength: 14
  privilegedPasswordMaxAgeDays: 365
`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { people: { type: "string" }, accounts: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, demo: { type: "boolean", default: false } },
  });
  if (!values.out) {
    process.stderr.write("usage: generate.ts (--demo | --accounts N | --people N) --out DIR [--seed S]\n");
    process.exit(2);
  }
  const people = values.demo ? DEMO.people : values.accounts ? peopleForAccounts(Number(values.accounts)) : Number(values.people ?? 1000);
  const seed = Number(values.seed ?? DEMO.seed);
  const now = values.demo ? DEMO.now : new Date();
  const estate = buildEstate({ people, seed, now, demo: values.demo ?? false });
  await writeEstate(estate, values.out, values.demo ? buildSubsidiary() : undefined);
  process.stderr.write(`wrote ${estate.people.length} people, ${estate.services.length} service accounts, ${estate.computers.length} computers, ${estate.apps.length} apps to ${values.out}\n`);
}
