// Fixed text of the evidence pack shared by the PDF and the HTML: section titles (the tests
// look for each one in both), the method and the glossary of the appendix.
export const sectionTitles = {
  cover: "Credential lifecycle evidence pack",
  summary: "1. Executive summary",
  nist: "2. NIST CSF 2.0",
  owasp: "3. OWASP Non-Human Identities Top 10 (2025)",
  cis: "4. CIS Controls v8",
  iso: "5. ISO/IEC 27001:2022 Annex A",
  controls: "6. Controls",
  exceptions: "7. Exceptions",
  collectionErrors: "8. Collection errors",
  rotation: "9. Rotation proof",
  appendix: "10. Appendix",
} as const;

export const method: readonly string[] = [
  "Collection: each configured source (Active Directory or OpenLDAP over LDAP or from an LDIF export, Entra ID through Microsoft Graph, GitHub through its REST and GraphQL APIs) was read into one snapshot. Every query or API call issued is recorded with the number of entries it returned; the population tables reconcile those numbers with the entries each control tested.",
  "Correlation: accounts of the same person or workload in several directories were linked by immutable identifiers first (objectGUID and onPremisesImmutableId), then by sAMAccountName, UPN, SAML nameId and mail; ambiguous keys were reported, never guessed.",
  "Evaluation: the controls are Rego policies compiled by credgov to WebAssembly and run with the Open Policy Agent Wasm SDK. Each control reports every failing subject, the population it tested per source (a pass records how many subjects operated correctly), and an error when the data it needs was not collected. A control in error is not a pass.",
  "Exceptions: an approved exception keeps the finding as failing and records who accepted the risk, under which ticket and until when; an expired exception no longer applies.",
  "Integrity: manifest.json lists the SHA-256 of every file of this pack with the tool, Node.js and policy library versions; manifest.json.sig is an Ed25519 signature of manifest.json. `credgov verify DIR --key PUBLIC_KEY` checks both.",
];

export const glossary: ReadonlyArray<[term: string, definition: string]> = [
  ["Subject", "What a finding is about: an account (by its name in its directory), a credential (holder / credential), a correlated identity, a password policy or a tenant."],
  ["Population", "The subjects in scope of a control in one source (or the whole estate for cross-directory controls), i.e. what was tested."],
  ["Entries returned", "What the source's queries returned before any scoping; the population is the part of them a control applies to."],
  ["Fail", "The control did not operate for this subject. An excepted fail is still a fail, with an approved, expiring waiver."],
  ["Error", "The data a control needs was not collected (a failed query, a missing page or setting). The control could not be judged; it is not a pass."],
  ["Not evaluated", "No result could be produced (no source of the needed kind, or a setting was not collected)."],
  ["Non-human identity (NHI)", "A service account, application, service principal, bot or the secrets and keys they hold."],
  ["Policy library hash", "SHA-256 over the Rego sources, their entrypoints and the compiler that built them: it identifies the exact policies evaluated."],
];
