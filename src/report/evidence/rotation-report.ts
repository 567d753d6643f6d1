// Rotation proof for the evidence pack, read from the report `credgov rotate` writes
// (schemas/rotation-report.schema.json, validated here so a damaged or foreign file is an
// input error naming the file and field). Per item the pack shows the account, directory,
// credential, when it was verified, its state, whether the new secret was proven by
// authenticating with it, and whether every directory sharing the password agrees.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { UserInputError } from "../../errors.ts";
import type { RotationReport } from "../../rotation/report.ts";
import { createAjv } from "../../json-schema/ajv.ts";
import type { RotationEvidence } from "./model.ts";

const schemaUrl = new URL("../../../schemas/rotation-report.schema.json", import.meta.url);
let validate: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

export async function readRotationReport(file: string): Promise<RotationEvidence> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(code ? `cannot read the rotation report: ${code}` : "the rotation report is not valid JSON", { file, field: "--rotation-report" });
  }
  return rotationEvidence(data, file);
}

export function rotationEvidence(data: unknown, file: string): RotationEvidence {
  validate ??= createAjv().compile(JSON.parse(readFileSync(schemaUrl, "utf8")) as object);
  if (!validate(data)) {
    const e = validate.errors?.[0];
    throw new UserInputError(`is not a credgov rotation report: ${e?.instancePath || "(root)"} ${e?.message ?? "is invalid"}`, { file, field: e?.instancePath.slice(1).replaceAll("/", ".") || "--rotation-report" });
  }
  const report = data as RotationReport;
  const items = report.items.map((item) => ({
    subject: item.account.name,
    directory: item.source,
    credential: item.credential,
    at: item.verifiedAt ?? item.committedAt ?? item.startedAt,
    state: item.state,
    verified: item.verification === "authenticated",
    agreement: item.directories.length ? `${item.directories.map((d) => `${d.source}: ${d.status}`).join(", ")}${item.complete ? " (complete)" : " (incomplete)"}` : null,
  }));
  return { file, generatedAt: report.generatedAt, items, verified: items.filter((i) => i.verified).length, total: items.length };
}
