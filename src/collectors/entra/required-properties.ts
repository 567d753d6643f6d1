// The Graph properties the Entra normalizer reads from each item, per call: Graph returns every
// property the call selects (null when unset), so an item without one of them was exported
// without it (src/collectors/item-completeness.ts). `affects` uses the area vocabulary of
// src/snapshot/areas.ts.
import { ItemCompleteness, type RequiredProperty } from "../item-completeness.ts";

const identities = "their links to accounts in other directories are unknown";

const userProperties: Record<string, RequiredProperty> = {
  userPrincipalName: { unknown: "their names, domains and so password policies are unknown", affects: ["accounts", "credentials", "identities"] },
  accountEnabled: { unknown: "whether they are enabled is unknown", affects: ["accounts", "credentials", "resetPaths"] },
  createdDateTime: { unknown: "when they were created is unknown", affects: ["accounts.created"] },
  lastPasswordChangeDateTime: { unknown: "when their passwords were last set is unknown", affects: ["accounts.passwordLastSet", "credentials"] },
  passwordPolicies: { unknown: "whether their passwords expire is unknown", affects: ["accounts.flags", "credentials"] },
  passwordProfile: { unknown: "whether a reset is waiting for them to finish (forceChangePasswordNextSignIn) is unknown", affects: ["accounts.flags", "resetPaths"] },
  onPremisesSyncEnabled: {
    unknown: "whether their passwords come from on-premises is unknown",
    affects: ["accounts.syncedFromOnPrem", "credentials", "identities", "settings.onPremisesSyncEnabled"],
  },
  mail: { unknown: identities, affects: ["identities"] },
  onPremisesImmutableId: { unknown: identities, affects: ["identities"] },
  onPremisesSamAccountName: { unknown: identities, affects: ["identities"] },
  onPremisesSecurityIdentifier: { unknown: identities, affects: ["identities"] },
};

const registrationProperties: Record<string, RequiredProperty> = {
  isAdmin: { unknown: "whether the admin or the user SSPR policy applies to them is unknown", affects: ["settings.ssprEnabled", "resetPaths"] },
  isSsprEnabled: { unknown: "whether self-service reset is on for them is unknown", affects: ["settings.ssprEnabled", "resetPaths"] },
  isSsprRegistered: { unknown: "whether they registered for self-service reset is unknown", affects: ["accounts.ssprRegistered"] },
  isSsprCapable: { unknown: "whether they can use self-service reset is unknown", affects: ["accounts.ssprCapable"] },
};

const workloadCredentials: Record<string, RequiredProperty> = {
  passwordCredentials: { unknown: "their client secrets are unknown", affects: ["credentials"] },
  keyCredentials: { unknown: "their certificates are unknown", affects: ["credentials"] },
  owners: { unknown: "their owners are unknown (owners must be expanded)", affects: ["accounts.owners", "credentials"] },
};

const servicePrincipalProperties: Record<string, RequiredProperty> = {
  ...workloadCredentials,
  accountEnabled: { unknown: "whether they are enabled is unknown", affects: ["accounts", "credentials"] },
  servicePrincipalType: { unknown: "which of them are managed identities is unknown", affects: ["credentials"] },
  appOwnerOrganizationId: { unknown: "which of them are Microsoft's own is unknown", affects: ["accounts", "credentials"] },
};

// GET /domains returns every property; a domains.json without these was filtered ($select) or
// edited. A domain read as managed when it is federated would be given Entra's cloud password
// rules, which its identity provider does not apply.
const domainProperties: Record<string, RequiredProperty> = {
  authenticationType: {
    unknown: "whether their passwords are checked by Entra or by a federated identity provider is unknown",
    affects: ["passwordPolicies", "accounts.passwordPolicy", "credentials", "settings.federatedDomains"],
  },
  passwordValidityPeriodInDays: { unknown: "how long their passwords stay valid is unknown", affects: ["passwordPolicies", "credentials.expires"] },
};

const remedy = "collect it as docs/exports.md gives the call ($select and $expand)";

/** One checker per item kind, for one collection. */
export function entraItemCompleteness() {
  return {
    domains: new ItemCompleteness("domains", { one: "domain", many: "domains" }, domainProperties, remedy),
    users: new ItemCompleteness("users", { one: "user", many: "users" }, userProperties, remedy),
    registrationDetails: new ItemCompleteness(
      "userRegistrationDetails",
      { one: "registration details item", many: "registration details items" },
      registrationProperties,
      remedy,
    ),
    applications: new ItemCompleteness("applications", { one: "application", many: "applications" }, workloadCredentials, remedy),
    servicePrincipals: new ItemCompleteness("servicePrincipals", { one: "service principal", many: "service principals" }, servicePrincipalProperties, remedy),
  };
}
