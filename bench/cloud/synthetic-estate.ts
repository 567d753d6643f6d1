// A synthetic Entra tenant and GitHub organization for the cloud benchmark, generated item by
// item (`at(i)`), so the fixture servers hold no 100,000-user array.
import type { Collection, GraphTenantData } from "../../test/fixture-servers/graph-server.ts";
import type { GithubOrgData } from "../../test/fixture-servers/github-server.ts";

const guid = (prefix: number, i: number) => `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const collection = (size: number, at: (i: number) => Record<string, unknown>): Collection => ({ size, at });

export function syntheticTenant(users: number, applications: number, servicePrincipals: number): GraphTenantData {
  const user = (i: number) => ({
    id: guid(0x11111111, i),
    displayName: `User ${i}`,
    userPrincipalName: `user${i}@bench.example`,
    mail: `user${i}@bench.example`,
    accountEnabled: i % 50 !== 0,
    userType: "Member",
    createdDateTime: day(i),
    lastPasswordChangeDateTime: day(i * 7),
    passwordPolicies: i % 10 === 0 ? "DisablePasswordExpiration" : "None",
    passwordProfile: { forceChangePasswordNextSignIn: i % 97 === 0, forceChangePasswordNextSignInWithMfa: false },
    onPremisesSyncEnabled: i % 3 === 0 ? true : null,
    onPremisesImmutableId: i % 3 === 0 ? Buffer.from(guid(0x22222222, i)).toString("base64").slice(0, 24) : null,
    onPremisesSamAccountName: i % 3 === 0 ? `user${i}` : null,
    onPremisesSecurityIdentifier: i % 3 === 0 ? `S-1-5-21-1-2-3-${1000 + i}` : null,
  });
  const owner = (i: number) => ({ "@odata.type": "#microsoft.graph.user", id: guid(0x11111111, i % users), displayName: `User ${i % users}`, userPrincipalName: `user${i % users}@bench.example`, accountEnabled: true });
  const secret = (i: number, k: number) => ({ keyId: guid(0x55555555, i * 4 + k), displayName: `secret ${k}`, startDateTime: day(i + k), endDateTime: day(i + k + 400), hint: "abc" });
  const app = (i: number) => ({
    id: guid(0x33333333, i),
    appId: guid(0x44444444, i),
    displayName: `App ${i}`,
    createdDateTime: day(i),
    passwordCredentials: [secret(i, 0), ...(i % 2 === 0 ? [secret(i, 1)] : [])],
    keyCredentials: i % 5 === 0 ? [{ keyId: guid(0x66666666, i), displayName: `cert ${i}`, type: "AsymmetricX509Cert", usage: "Verify", startDateTime: day(i), endDateTime: day(i + 700) }] : [],
    owners: i % 7 === 0 ? [] : [owner(i)],
  });
  return {
    users: collection(users, user),
    domains: collection(2, (i) => ({ id: i === 0 ? "bench.example" : "corp.bench.example", authenticationType: i === 0 ? "Managed" : "Federated", isDefault: i === 0, isVerified: true, passwordValidityPeriodInDays: 2147483647 })),
    authorizationPolicy: { id: "authorizationPolicy", allowedToUseSSPR: true },
    authenticationMethodsPolicy: { id: "authenticationMethodsPolicy", authenticationMethodConfigurations: [{ id: "Fido2", state: "enabled" }] },
    // Off, as Microsoft ships it (the demo estate's tenant too): no pass paths.
    temporaryAccessPass: { id: "TemporaryAccessPass", state: "disabled", defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false, includeTargets: [{ targetType: "group", id: "all_users" }], excludeTargets: [] },
    userRegistrationDetails: collection(users, (i) => ({ id: guid(0x11111111, i), userPrincipalName: `user${i}@bench.example`, userType: "member", isAdmin: i < 20, isSsprEnabled: i % 2 === 0, isSsprRegistered: i % 3 === 0, isSsprCapable: i % 4 === 0, isMfaRegistered: true })),
    onPremisesSynchronization: collection(1, () => ({ id: guid(0x77777777, 0), configuration: { synchronizationInterval: "PT30M" }, features: { passwordSyncEnabled: true, passwordWritebackEnabled: true, cloudPasswordPolicyForPasswordSyncedUsersEnabled: false, userForcePasswordChangeOnLogonEnabled: false } })),
    applications: collection(applications, app),
    servicePrincipals: collection(servicePrincipals, (i) => ({ ...app(i), id: guid(0x88888888, i), servicePrincipalType: i % 10 === 0 ? "ManagedIdentity" : "Application", accountEnabled: true, appOwnerOrganizationId: guid(0x99999999, 0) })),
    roleAssignments: collection(40, (i) => ({
      id: `ra-${i}`,
      principalId: guid(0x11111111, i),
      roleDefinitionId: i % 4 === 0 ? "62e90394-69f5-4237-9190-012177145e10" : "729827e3-9c14-49f7-bb1b-9608f156bbb8",
      directoryScopeId: "/",
      principal: { "@odata.type": "#microsoft.graph.user", id: guid(0x11111111, i), displayName: `User ${i}`, userPrincipalName: `user${i}@bench.example` },
      roleDefinition: { id: "x", displayName: i % 4 === 0 ? "Global Administrator" : "Helpdesk Administrator", templateId: i % 4 === 0 ? "62e90394-69f5-4237-9190-012177145e10" : "729827e3-9c14-49f7-bb1b-9608f156bbb8" },
    })),
  };
}

export function syntheticOrg(members: number, repos: number): GithubOrgData {
  const logins = Array.from({ length: members }, (_, i) => `member-${i}`);
  return {
    org: { login: "bench-org", id: 1, two_factor_requirement_enabled: true },
    members: logins.map((login, i) => ({ login, id: 100_000 + i, type: i % 100 === 0 ? "Bot" : "User", site_admin: false, role: i < 25 ? "admin" : "member" })),
    samlIdentities: logins.map((login, i) => ({ guid: `g-${i}`, nameId: `${login}@bench.example`, login })),
    credentialAuthorizations: logins.slice(0, 1000).map((login, i) => ({ login, credential_id: 50_000 + i, credential_type: "personal access token", credential_authorized_at: day(i), credential_accessed_at: day(i + 30), authorized_credential_expires_at: day(i + 400), scopes: ["repo"], authorized_credential_note: `token ${i}` })),
    secrets: Array.from({ length: 30 }, (_, i) => ({ name: `ORG_SECRET_${i}`, created_at: day(i), updated_at: day(i + 10), visibility: "all" })),
    dependabotSecrets: Array.from({ length: 5 }, (_, i) => ({ name: `ORG_DEPENDABOT_${i}`, created_at: day(i), updated_at: day(i + 20), visibility: "private" })),
    codespacesSecrets: Array.from({ length: 3 }, (_, i) => ({ name: `ORG_CODESPACES_${i}`, created_at: day(i), updated_at: day(i + 30), visibility: "all" })),
    repos: Array.from({ length: repos }, (_, r) => ({
      name: `repo-${String(r).padStart(4, "0")}`,
      secrets: [0, 1].map((k) => ({ name: `SECRET_${k}`, created_at: day(r + k), updated_at: day(r + k + 5) })),
      // A quarter of the repositories deploy through environments with their own secrets; fewer
      // use Dependabot or Codespaces secrets.
      environments: r % 4 === 0 ? ["production", "staging"].map((name, k) => ({ name, secrets: [{ name: "DEPLOY_TOKEN", created_at: day(r + k), updated_at: day(r + k + 60) }] })) : [],
      dependabotSecrets: r % 5 === 0 ? [{ name: "REGISTRY_TOKEN", created_at: day(r), updated_at: day(r + 90) }] : [],
      codespacesSecrets: r % 20 === 0 ? [{ name: "DEV_API_KEY", created_at: day(r), updated_at: day(r + 120) }] : [],
      keys: [{ id: 900_000 + r, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench", title: `deploy ${r}`, verified: true, created_at: day(r), read_only: r % 2 === 0, added_by: logins[r % members], last_used: null, enabled: true }],
    })),
  };
}
