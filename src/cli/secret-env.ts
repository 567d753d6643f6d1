// Before collecting: every live directory bind names its password by environment variable
// (passwordEnv). An unset variable is a configuration mistake the user fixes in the environment
// or the config, so it is exit 2 naming the config field, not a failed source (exit 3).
import { readFileSync } from "node:fs";
import { LineCounter } from "yaml";
import { parseYamlDocument } from "../config/yaml-document.ts";
import { UserInputError } from "../errors.ts";
import { formatField, locate } from "../config/yaml-positions.ts";
import type { PathSegment } from "../json-schema/json-pointer.ts";
import type { CredgovConfig } from "../config/types.ts";

export function checkBindPasswords(config: CredgovConfig, selected: ReadonlySet<string>, displayName: string, env: NodeJS.ProcessEnv): void {
  config.sources.forEach((source, index) => {
    if (!selected.has(source.id)) return;
    if (source.kind === "entra" || source.kind === "github") return checkCloudSecrets(config, source, index, displayName, env);
    // A file: export is read instead of the server when both are set.
    if (typeof source.url !== "string" || typeof source.file === "string" || typeof source.bindDN !== "string") return;
    const name = source.passwordEnv;
    if (typeof name !== "string" || name === "") {
      throw located(config.file, displayName, ["sources", index, "passwordEnv"], "is required with bindDN: name the environment variable holding the bind password");
    }
    if (env[name] === undefined || env[name] === "") {
      throw located(config.file, displayName, ["sources", index, "passwordEnv"], `environment variable ${name} is not set (it must hold the bind password for ${source.bindDN})`);
    }
  });
}

/** The error with the field's line and column (the config is re-read only on this error path). */
function located(file: string, displayName: string, segments: PathSegment[], message: string): UserInputError {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(readFileSync(file, "utf8"), { lineCounter });
  const { line, column } = locate(doc, lineCounter, segments);
  return new UserInputError(message, { file: displayName, line, column, field: formatField(segments) });
}

/** Live Entra and GitHub sources: every secret variable the source names must be set. */
function checkCloudSecrets(config: CredgovConfig, source: CredgovConfig["sources"][number], index: number, displayName: string, env: NodeJS.ProcessEnv): void {
  if (source.kind === "ad" || source.kind === "ldap" || typeof source.dir === "string") return;
  const unset = (name: unknown) => typeof name === "string" && (env[name] === undefined || env[name] === "");
  const fail = (segments: PathSegment[], message: string) => {
    throw located(config.file, displayName, ["sources", index, ...segments], message);
  };
  if (source.kind === "entra") {
    if (unset(source.clientSecretEnv)) fail(["clientSecretEnv"], `environment variable ${String(source.clientSecretEnv)} is not set (it must hold the client secret of the Entra application)`);
    const certificate = source.certificate as { passwordEnv?: string } | undefined;
    if (unset(certificate?.passwordEnv)) fail(["certificate", "passwordEnv"], `environment variable ${String(certificate?.passwordEnv)} is not set (it must hold the certificate key's password)`);
    return;
  }
  const app = source.app as { privateKeyEnv?: string } | undefined;
  if (unset(source.tokenEnv)) fail(["tokenEnv"], `environment variable ${String(source.tokenEnv)} is not set (it must hold a GitHub token)`);
  if (app && unset(app.privateKeyEnv)) fail(["app", "privateKeyEnv"], `environment variable ${String(app.privateKeyEnv)} is not set (it must hold the GitHub App's private key)`);
  if (!app && source.tokenEnv === undefined && unset("GITHUB_TOKEN")) fail([], "has no credential: set tokenEnv or app:, or the GITHUB_TOKEN environment variable");
}
