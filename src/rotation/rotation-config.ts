// The `rotation:` section of credgov.yaml (validated by schemas/credgov.config.schema.json)
// with its defaults applied and paths resolved against the config file's folder.
import { isAbsolute, resolve } from "node:path";
import type { CredgovConfig } from "../config/types.ts";
import { defaultRunSettings, type RunSettings } from "./runner.ts";

export type SinkSettings =
  | { kind: "age-file"; dir: string; recipients: string[]; identityEnv?: string }
  | { kind: "vault-kv2"; mount: string; prefix: string; timeoutMs: number };

export type HookSettings =
  | { kind: "webhook"; url: string; secretEnv?: string; timeoutMs: number; retries: number; events?: string[] }
  | { kind: "exec"; argv: string[]; timeoutMs: number; events?: string[] };

export interface TriggerSettings {
  controls: string[];
  action: "plan" | "notify" | "apply";
  maxItems: number;
}

export interface RotationSettings {
  sink?: SinkSettings;
  run: RunSettings;
  /** Folder for plans, journals and reports written by scan triggers. */
  dir: string;
  triggers: TriggerSettings[];
  hooks: HookSettings[];
}

export function rotationSettings(config: Pick<CredgovConfig, "rotation" | "dir">): RotationSettings {
  const raw = (config.rotation ?? {}) as Record<string, unknown>;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(config.dir, p));
  const rawSink = raw.sink as Record<string, unknown> | undefined;
  let sink: SinkSettings | undefined;
  if (rawSink?.kind === "age-file") {
    sink = { kind: "age-file", dir: path(rawSink.dir as string), recipients: rawSink.recipients as string[], ...(rawSink.identityEnv ? { identityEnv: rawSink.identityEnv as string } : {}) };
  } else if (rawSink?.kind === "vault-kv2") {
    sink = { kind: "vault-kv2", mount: rawSink.mount as string, prefix: (rawSink.prefix as string | undefined) ?? "", timeoutMs: (rawSink.timeoutMs as number | undefined) ?? 10_000 };
  }
  const hooks = ((raw.hooks as Array<Record<string, unknown>> | undefined) ?? []).map((h): HookSettings =>
    h.kind === "webhook"
      ? { kind: "webhook", url: h.url as string, secretEnv: h.secretEnv as string | undefined, timeoutMs: (h.timeoutMs as number | undefined) ?? 5000, retries: (h.retries as number | undefined) ?? 3, events: h.events as string[] | undefined }
      : { kind: "exec", argv: h.argv as string[], timeoutMs: (h.timeoutMs as number | undefined) ?? 10_000, events: h.events as string[] | undefined },
  );
  const triggers = ((raw.triggers as Array<Record<string, unknown>> | undefined) ?? []).map((t): TriggerSettings => ({
    controls: t.controls as string[],
    action: t.action as TriggerSettings["action"],
    maxItems: (t.maxItems as number | undefined) ?? 10,
  }));
  return {
    ...(sink ? { sink } : {}),
    run: {
      concurrency: (raw.concurrency as number | undefined) ?? defaultRunSettings.concurrency,
      ratePerSecond: (raw.ratePerSecond as number | undefined) ?? defaultRunSettings.ratePerSecond,
      stopAfterFailures: (raw.stopAfterFailures as number | undefined) ?? defaultRunSettings.stopAfterFailures,
      minimumLength: (raw.minimumLength as number | undefined) ?? defaultRunSettings.minimumLength,
    },
    dir: path((raw.dir as string | undefined) ?? "rotation"),
    triggers,
    hooks,
  };
}
