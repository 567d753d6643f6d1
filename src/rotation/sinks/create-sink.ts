// Builds the configured SecretSink; secrets it needs (age identity, Vault token) come from the
// environment only.
import { UserInputError } from "../../errors.ts";
import type { SinkSettings } from "../rotation-config.ts";
import type { SecretSink } from "../sink.ts";
import { AgeFileSink } from "./age-file.ts";
import { VaultKv2Sink } from "./vault-kv2.ts";

export function createSink(settings: SinkSettings | undefined, env: NodeJS.ProcessEnv, configFile: string): SecretSink {
  if (!settings) throw new UserInputError("no rotation.sink configured: say where rotated secrets are delivered (age-file or vault-kv2)", { file: configFile, field: "rotation.sink" });
  if (settings.kind === "age-file") {
    const identity = settings.identityEnv ? env[settings.identityEnv] : undefined;
    if (settings.identityEnv && !identity) {
      throw new UserInputError(`environment variable ${settings.identityEnv} is not set (it must hold the age identity AGE-SECRET-KEY-1...)`, { file: configFile, field: "rotation.sink.identityEnv" });
    }
    return new AgeFileSink({ dir: settings.dir, recipients: settings.recipients, ...(identity ? { identity: identity.trim() } : {}) });
  }
  const address = env.VAULT_ADDR;
  const token = env.VAULT_TOKEN;
  if (!address) throw new UserInputError("VAULT_ADDR is not set (the Vault or OpenBao server, e.g. https://vault.example:8200)", { file: configFile, field: "rotation.sink" });
  if (!token) throw new UserInputError("VAULT_TOKEN is not set (a token allowed to write the KV v2 mount)", { file: configFile, field: "rotation.sink" });
  return new VaultKv2Sink({ address, token, namespace: env.VAULT_NAMESPACE || undefined, mount: settings.mount, prefix: settings.prefix, timeoutMs: settings.timeoutMs });
}
