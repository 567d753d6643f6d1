// Resolves a source's `file:` setting against the config directory and checks it exists, so
// a missing export becomes a recorded source error instead of a crash.
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { UserInputError } from "../../errors.ts";
import type { CollectorContext } from "../collector.ts";

export type SourceFile = { ok: true; path: string; displayName: string } | { ok: false; displayName: string; message: string };

export async function resolveSourceFile(context: CollectorContext<"ad" | "ldap">): Promise<SourceFile | null> {
  const setting = context.source.file;
  if (setting === undefined) return null;
  if (typeof setting !== "string" || setting === "") {
    throw new UserInputError("must be the path of an LDIF export", { field: `sources.${context.source.id}.file` });
  }
  const path = isAbsolute(setting) ? setting : resolve(context.configDir, setting);
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, displayName: setting, message: `${setting} is not a file` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, displayName: setting, message: code === "ENOENT" ? `export file ${setting} not found` : `cannot read ${setting} (${code})` };
  }
  return { ok: true, path, displayName: setting };
}
