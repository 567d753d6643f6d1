// A live GitHub source's settings (credgov.yaml) -> a signed-in reader. Unusable credential
// settings are configuration errors (exit 2) naming the source's field; a refused sign-in is a
// failed source (exit 3) whose message names the endpoint, never the secret.
import { SourceSettingError } from "../source-setting-error.ts";
import type { SourceSettingsOf } from "../../config/types.ts";
import { githubClient, GithubClientConfigError, type GithubClient, type GithubClientUse, type GithubLiveSettings } from "./live-client.ts";

export async function githubClientFor(source: SourceSettingsOf<"github">, env: NodeJS.ProcessEnv, configDir: string, log: (message: string) => void, use: GithubClientUse = "read"): Promise<GithubClient> {
  try {
    return await githubClient(source satisfies GithubLiveSettings, env, configDir, log, use);
  } catch (error) {
    if (error instanceof GithubClientConfigError) throw new SourceSettingError(source.id, error.field, error.message);
    throw error;
  }
}

/** Removes any secret the client was built with, and bearer tokens, from a message. */
export function scrubber(secrets: string[]): (message: string) => string {
  return (message) => {
    let out = message;
    for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
    return out.replace(/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]+/g, "[redacted-token]").replace(/(token|bearer)\s+[\w.~+/=-]{8,}/gi, "$1 [redacted]");
  };
}
