// A live Entra source's settings (credgov.yaml) -> a signed-in-ready Graph session. Unusable
// credential settings are configuration errors (exit 2) naming the source's field.
import { SourceSettingError } from "../source-setting-error.ts";
import type { SourceSettingsOf } from "../../config/types.ts";
import { defaultGraphBaseUrl, entraCredential, EntraCredentialConfigError, type EntraLiveSettings } from "./live-credential.ts";
import { GraphSession } from "./live-graph-session.ts";

export function graphSessionFor(source: SourceSettingsOf<"entra">, env: NodeJS.ProcessEnv, configDir: string): GraphSession {
  const settings: EntraLiveSettings = source;
  let credential;
  try {
    credential = entraCredential(settings, env, configDir);
  } catch (error) {
    if (error instanceof EntraCredentialConfigError) throw new SourceSettingError(source.id, error.field, error.message);
    throw error;
  }
  return new GraphSession({
    graphBaseUrl: settings.graphBaseUrl ?? defaultGraphBaseUrl,
    credential: credential.credential,
    concurrency: source.concurrency ?? 4,
    timeoutMs: source.timeoutMs ?? 30_000,
    maxRetries: source.maxRetries ?? 5,
    retryDelaySeconds: source.retryDelaySeconds ?? 2,
    networkRetries: 2,
    secrets: credential.secrets,
  });
}
