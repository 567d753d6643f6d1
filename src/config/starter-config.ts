// The commented credgov.yaml that `credgov init` writes: one live source per kind asked for,
// each with its export alternative in a comment, and the defaults a reader may want to change.
// A test loads every combination with loadConfig, so the starter is always a valid config.
import type { SourceKind } from "./types.ts";
import { defaultOutputDir, defaultThresholds } from "./defaults.ts";

export const sourceKinds: readonly SourceKind[] = ["ad", "ldap", "entra", "github"];

const sourceBlocks: Record<SourceKind, string> = {
  ad: `  - id: corp-ad                   # letters, digits, . _ - ; prefixes the ids of its accounts
    kind: ad                      # Active Directory over LDAP(S)
    url: ldaps://dc1.corp.example:636
    baseDN: DC=corp,DC=example
    bindDN: CN=credgov,OU=Service Accounts,DC=corp,DC=example
    passwordEnv: CREDGOV_AD_PASSWORD   # the environment variable holding the bind password
    # tls: { caFile: certs/corp-ca.pem }
    # Or read an export instead of the live server (remove url, baseDN, bindDN, passwordEnv):
    # file: exports/ad.ldif        # ldapsearch -LLL output (docs/exports.md)
`,
  ldap: `  - id: legacy-ldap
    kind: ldap                    # OpenLDAP with the ppolicy overlay
    url: ldaps://ldap.corp.example:636
    baseDN: dc=legacy,dc=example
    bindDN: cn=credgov,ou=system,dc=legacy,dc=example
    passwordEnv: CREDGOV_LDAP_PASSWORD
    # defaultPolicyDN: cn=default,ou=policies,dc=legacy,dc=example
    # ownerAttributes: [owner, manager]
    # Or an export: file: exports/legacy.ldif   (ldapsearch -LLL '*' +)
`,
  entra: `  - id: entra
    kind: entra                   # Entra ID through Microsoft Graph
    tenantId: 00000000-0000-0000-0000-000000000000
    clientId: 00000000-0000-0000-0000-000000000000
    clientSecretEnv: CREDGOV_GRAPH_CLIENT_SECRET
    # Or Graph exports (remove tenantId, clientId, clientSecretEnv): dir: exports/entra
`,
  github: `  - id: github
    kind: github                  # a GitHub organisation (REST and GraphQL)
    org: corp-example
    tokenEnv: CREDGOV_GITHUB_TOKEN
    # Or exports (remove org, tokenEnv): dir: exports/github
`,
};

export function starterConfig(kinds: readonly SourceKind[], schemaPath: string): string {
  const t = defaultThresholds;
  return `# yaml-language-server: $schema=${schemaPath}
# credgov configuration: what to collect and how strict to be (docs/config.md).
# Secrets are never written here: name the environment variable that holds them.
version: 1
sources:
${kinds.map((k) => sourceBlocks[k]).join("")}
# Thresholds the policies use (the defaults are shown):
# thresholds:
#   rotationDays: ${t.rotationDays}
#   maxSecretLifetimeDays: ${t.maxSecretLifetimeDays}
#   syncWindowHours: ${t.syncWindowHours}
#   krbtgtMaxAgeDays: ${t.krbtgtMaxAgeDays}
#   minPasswordLength: ${t.minPasswordLength}
#   privilegedPasswordMaxAgeDays: ${t.privilegedPasswordMaxAgeDays}

# Approved, expiring waivers (control, subject, reason, approver, ticket, expires):
# exceptions: { file: exceptions.yaml }

# Your own Rego policies next to the built-in library:
# policies: { dirs: [policies/local] }

output:
  dir: ${defaultOutputDir}
  formats: [sarif, junit, md]
  failOn: high                    # exit 1 on a failing finding at or above this severity
`;
}
