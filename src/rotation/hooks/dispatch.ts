// Sends each rotation event to the configured hooks that want it. A failing hook is reported
// (warning) and never stops or fails a rotation: the journal, not the hooks, is the record.
import type { RotationEvent } from "../events.ts";
import type { HookSettings } from "../rotation-config.ts";
import { runExecHook } from "./exec.ts";
import { postWebhook } from "./webhook.ts";

export function hookDispatcher(hooks: HookSettings[], env: NodeJS.ProcessEnv, warn: (message: string) => void): (event: RotationEvent) => Promise<void> {
  return async (event) => {
    await Promise.all(
      hooks
        .filter((hook) => !hook.events || hook.events.includes(event.type))
        .map(async (hook) => {
          try {
            if (hook.kind === "webhook") {
              const key = hook.secretEnv ? env[hook.secretEnv] : undefined;
              await postWebhook({ url: hook.url, key, timeoutMs: hook.timeoutMs, retries: hook.retries }, event);
            } else {
              await runExecHook(hook.argv, hook.timeoutMs, event, env);
            }
          } catch (error) {
            warn(`rotation hook failed for ${event.type}: ${(error as Error).message}`);
          }
        }),
    );
  };
}
