// --eval-memory and --eval-timeout, shared by `evaluate` and `scan`: the Wasm memory ceiling of
// one evaluation and the deadline of one policy package (past either, that package's controls
// are `error` and the run exits 3).
import type { Command } from "commander";
import { UserInputError } from "../errors.ts";

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
    .option("--eval-memory <MiB>", "memory ceiling of a policy evaluation in MiB, 16 to 4096 (default 4096, all a wasm32 module can address)")
    .option("--eval-timeout <duration>", "deadline of one policy package's evaluation, e.g. 90s, 10m (default 10m)");
}

export function evaluationLimits(options: EvaluationLimitOptions): EvaluationLimits {
  const limits: EvaluationLimits = {};
  if (options.evalMemory !== undefined) {
    const mib = /^\d+$/.test(options.evalMemory) ? Number(options.evalMemory) : NaN;
    if (!(mib >= 16 && mib <= 4096)) throw new UserInputError(`must be a whole number of MiB from 16 to 4096, got ${JSON.stringify(options.evalMemory)}`, { field: "--eval-memory" });
    limits.maxMemoryMiB = mib;
  }
  if (options.evalTimeout !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(options.evalTimeout);
    const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"] : NaN;
    if (!(ms >= 1 && ms <= 24 * 3_600_000)) throw new UserInputError(`must be a duration such as 90s or 10m (at most 24h), got ${JSON.stringify(options.evalTimeout)}`, { field: "--eval-timeout" });
    limits.packageDeadlineMs = Math.round(ms);
  }
  return limits;
}
