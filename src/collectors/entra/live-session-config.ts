// A live Entra source's settings (credgov.yaml) -> a signed-in-ready Graph session. Unusable
// credential settings are configuration errors (exit 2) naming the source's field.
import { UserInputError } from "../../errors.ts";
import type { SourceConfig } from "../collector.ts";
import { defaultGraphBaseUrl, entraCredential, EntraCredentialConfigError, type EntraLiveSettings } from "./live-credential.ts";
import { GraphSession } from "./live-graph-session.ts";

export function graphSessionFor(source: SourceConfig, env: NodeJS.ProcessEnv, configDir: string): GraphSession {
  const settings = source as SourceConfig & EntraLiveSettings;
  let credential;
  try {
    credential = entraCredential(settings, env, configDir);
  } catch (error) {
    if (error instanceof EntraCredentialConfigError) throw new UserInputError(error.message, { field: `sources[${source.id}].${error.field}` });
    throw error;
  }
  const number = (key: string, fallback: number) => (typeof source[key] === "number" ? (source[key] as number) : fallback);
  return new GraphSession({
    graphBaseUrl: settings.graphBaseUrl ?? defaultGraphBaseUrl,
    credential: credential.credential,
    concurrency: number("concurrency", 4),
    timeoutMs: number("timeoutMs", 30_000),
    maxRetries: number("maxRetries", 5),
    retryDelaySeconds: number("retryDelaySeconds", 2),
    networkRetries: 2,
    secrets: credential.secrets,
  });
}
