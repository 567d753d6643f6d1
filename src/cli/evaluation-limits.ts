// --eval-memory and --eval-timeout, shared by `evaluate` and `scan`: the Wasm memory ceiling of
// one evaluation and the deadline of one policy package (past either, that package's controls
// are `error` and the run exits 3). credgov.yaml sets them as policies.evalMemory and
// policies.evalTimeout; a flag wins over the file.
import type { Command } from "commander";
import { UserInputError } from "../errors.ts";
import type { CredgovConfig } from "../config/types.ts";
import { configErrorAt } from "../config/located-error.ts";

export interface EvaluationLimitOptions {
  evalMemory?: string;
  evalTimeout?: string;
}

export interface EvaluationLimits {
  maxMemoryMiB?: number;
  packageDeadlineMs?: number;
}

export function addEvaluationLimitOptions(command: Command): Command {
  return command
    .option("--eval-memory <MiB>", "memory ceiling of a policy evaluation in MiB, 16 to 4096 (default: policies.evalMemory of the config, else 4096, all a wasm32 module can address)")
    .option("--eval-timeout <duration>", "deadline of one policy package's evaluation, e.g. 90s, 10m (default: policies.evalTimeout of the config, else 10m)");
}

export function evaluationLimits(options: EvaluationLimitOptions, config?: CredgovConfig): EvaluationLimits {
  const limits: EvaluationLimits = {};
  if (options.evalMemory !== undefined) {
    const mib = /^\d+$/.test(options.evalMemory) ? Number(options.evalMemory) : NaN;
    if (!(mib >= 16 && mib <= 4096)) throw new UserInputError(`must be a whole number of MiB from 16 to 4096, got ${JSON.stringify(options.evalMemory)}`, { field: "--eval-memory" });
    limits.maxMemoryMiB = mib;
  } else if (config?.policies.evalMemory !== undefined) {
    // The schema keeps it a whole number from 16 to 4096.
    limits.maxMemoryMiB = config.policies.evalMemory;
  }
  if (options.evalTimeout !== undefined) {
    const ms = durationMs(options.evalTimeout);
    if (ms === undefined) throw new UserInputError(`must be a duration such as 90s or 10m (at most 24h), got ${JSON.stringify(options.evalTimeout)}`, { field: "--eval-timeout" });
    limits.packageDeadlineMs = ms;
  } else if (config?.policies.evalTimeout !== undefined) {
    const ms = durationMs(config.policies.evalTimeout);
    if (ms === undefined) throw configErrorAt(config.file, config.file, ["policies", "evalTimeout"], `must be a duration such as 90s or 10m (at most 24h), got ${JSON.stringify(config.policies.evalTimeout)}`);
    limits.packageDeadlineMs = ms;
  }
  return limits;
}

/** "90s", "10m", "1.5h" in milliseconds, from 1 ms to 24 h; undefined when not one. */
function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"] : NaN;
  return ms >= 1 && ms <= 24 * 3_600_000 ? Math.round(ms) : undefined;
}
