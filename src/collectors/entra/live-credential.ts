// The @azure/identity credential a live Entra source signs in with. The config names the method
// (`auth`), or the usual AZURE_* variables decide as EnvironmentCredential would: a client
// secret, a client certificate, or a federated token file (workload identity federation, CI
// OIDC). Managed identity is chosen explicitly. Secrets come from environment variables only.
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { resolve } from "node:path";

export type EntraAuthMethod = "clientSecret" | "certificate" | "workloadIdentity" | "managedIdentity";

/** The live settings of an `entra` source (see schemas/credgov.config.schema.json). */
export interface EntraLiveSettings {
  tenantId?: string;
  clientId?: string;
  auth?: EntraAuthMethod;
  clientSecretEnv?: string;
  certificate?: { file: string; passwordEnv?: string };
  federatedTokenFile?: string;
  authorityHost?: string;
  graphBaseUrl?: string;
}

/** Public and national clouds whose instance metadata MSAL knows; any other authority host
 *  (Azure Stack Hub, a private test authority) cannot be looked up at login.microsoftonline.com. */
const knownAuthorityHosts = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
  "login-us.microsoftonline.com",
]);

export const defaultAuthorityHost = "https://login.microsoftonline.com";

/** Whether Microsoft's instance discovery knows this authority host (else it must be turned off). */
export function knownAuthority(authorityHost: string): boolean {
  return knownAuthorityHosts.has(new URL(authorityHost).hostname);
}
export const defaultGraphBaseUrl = "https://graph.microsoft.com";

/** A credential that cannot be built from the config and environment (exit 2: the user fixes it). */
export class EntraCredentialConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "EntraCredentialConfigError";
    this.field = field;
  }
}

export interface EntraCredential {
  credential: TokenCredential;
  method: EntraAuthMethod;
  tenantId: string | undefined;
  clientId: string | undefined;
  authorityHost: string;
  /** Secrets this credential was built from, to scrub from any message that might echo them. */
  secrets: string[];
}

export function entraCredential(settings: EntraLiveSettings, env: NodeJS.ProcessEnv, configDir: string): EntraCredential {
  const tenantId = settings.tenantId ?? nonEmpty(env.AZURE_TENANT_ID);
  const clientId = settings.clientId ?? nonEmpty(env.AZURE_CLIENT_ID);
  const authorityHost = (settings.authorityHost ?? nonEmpty(env.AZURE_AUTHORITY_HOST) ?? defaultAuthorityHost).replace(/\/+$/, "");
  const options = { authorityHost, disableInstanceDiscovery: !knownAuthority(authorityHost) };
  const method = settings.auth ?? inferMethod(settings, env);
  const need = (value: string | undefined, field: string, variable: string): string => {
    if (value) return value;
    throw new EntraCredentialConfigError(field, `is required for auth ${method}: set ${field} in the source or the ${variable} environment variable`);
  };
  const base = { method, tenantId, clientId, authorityHost };
  switch (method) {
    case "clientSecret": {
      const variable = settings.clientSecretEnv ?? "AZURE_CLIENT_SECRET";
      const secret = nonEmpty(env[variable]);
      if (!secret) throw new EntraCredentialConfigError("clientSecretEnv", `environment variable ${variable} is not set (it must hold the client secret of application ${clientId ?? "(clientId)"})`);
      return { ...base, credential: new ClientSecretCredential(need(tenantId, "tenantId", "AZURE_TENANT_ID"), need(clientId, "clientId", "AZURE_CLIENT_ID"), secret, options), secrets: [secret] };
    }
    case "certificate": {
      const file = settings.certificate ? resolve(configDir, settings.certificate.file) : nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
      if (!file) throw new EntraCredentialConfigError("certificate.file", "is required for auth certificate: name the PEM file (certificate and private key) or set AZURE_CLIENT_CERTIFICATE_PATH");
      const passwordVariable = settings.certificate?.passwordEnv ?? (settings.certificate ? undefined : "AZURE_CLIENT_CERTIFICATE_PASSWORD");
      const password = passwordVariable ? nonEmpty(env[passwordVariable]) : undefined;
      if (settings.certificate?.passwordEnv && !password) throw new EntraCredentialConfigError("certificate.passwordEnv", `environment variable ${settings.certificate.passwordEnv} is not set (it must hold the certificate key's password)`);
      const credential = new ClientCertificateCredential(
        need(tenantId, "tenantId", "AZURE_TENANT_ID"),
        need(clientId, "clientId", "AZURE_CLIENT_ID"),
        { certificatePath: file, ...(password ? { certificatePassword: password } : {}) },
        options,
      );
      return { ...base, credential, secrets: password ? [password] : [] };
    }
    case "workloadIdentity": {
      const tokenFile = settings.federatedTokenFile ? resolve(configDir, settings.federatedTokenFile) : nonEmpty(env.AZURE_FEDERATED_TOKEN_FILE);
      if (!tokenFile) throw new EntraCredentialConfigError("federatedTokenFile", "is required for auth workloadIdentity: name the federated token file or set AZURE_FEDERATED_TOKEN_FILE");
      const credential = new WorkloadIdentityCredential({
        tenantId: need(tenantId, "tenantId", "AZURE_TENANT_ID"),
        clientId: need(clientId, "clientId", "AZURE_CLIENT_ID"),
        tokenFilePath: tokenFile,
        ...options,
      });
      return { ...base, credential, secrets: [] };
    }
    case "managedIdentity":
      // clientId selects a user-assigned identity; without it, the system-assigned one.
      return { ...base, credential: clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential(), secrets: [] };
  }
}

/** As EnvironmentCredential and WorkloadIdentityCredential read the AZURE_* variables. */
function inferMethod(settings: EntraLiveSettings, env: NodeJS.ProcessEnv): EntraAuthMethod {
  if (settings.clientSecretEnv) return "clientSecret";
  if (settings.certificate) return "certificate";
  if (settings.federatedTokenFile) return "workloadIdentity";
  if (nonEmpty(env.AZURE_CLIENT_SECRET)) return "clientSecret";
  if (nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH)) return "certificate";
  if (nonEmpty(env.AZURE_FEDERATED_TOKEN_FILE)) return "workloadIdentity";
  throw new EntraCredentialConfigError(
    "auth",
    "no credential configured: set clientSecretEnv, certificate or auth (managedIdentity, workloadIdentity), or the AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE environment variable",
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The token scope of a Graph endpoint (national clouds have their own). */
export function graphScope(graphBaseUrl: string): string {
  return `${new URL(graphBaseUrl).origin}/.default`;
}
