// Rotation proof for the evidence pack, read from a rotation report JSON (written by
// `credgov rotate`; its schema lives under schemas/ once rotation lands). Read tolerantly:
// the pack shows per item the subject, directory, credential, time, state and whether the new
// secret was verified by authenticating with it, and whether linked directories agree. A
// report that is not JSON or has no item list is an input error naming the file.
import { readFile } from "node:fs/promises";
import { UserInputError } from "../../errors.ts";
import type { RotationEvidence } from "./model.ts";

const verifiedStates = new Set(["verified", "promoted", "committed"]);

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
  const report = (data ?? {}) as Record<string, unknown>;
  const list = Array.isArray(report.items) ? report.items : null;
  if (!list) throw new UserInputError("the rotation report has no items array", { file, field: "items" });
  const items = list.map((raw, index) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const account = (item.account ?? {}) as Record<string, unknown>;
    const source = item.source;
    const state = text(item.state) ?? text(item.status) ?? "unknown";
    const verified = typeof item.verified === "boolean" ? item.verified : verifiedStates.has(state);
    const linked = Array.isArray(item.linkedAccounts) ? (item.linkedAccounts as Array<Record<string, unknown>>) : [];
    const agreement = linked.length
      ? linked.map((l) => `${text(l.source) ?? "?"}: ${text(l.state) ?? (l.agrees === true ? "agrees" : l.agrees === false ? "disagrees" : "unknown")}`).join(", ")
      : (text(item.agreement) ?? null);
    return {
      subject: text(account.name) ?? text(item.subject) ?? text(item.account) ?? `item ${index + 1}`,
      directory: (typeof source === "object" && source ? text((source as Record<string, unknown>).id) : text(source)) ?? text(item.directory) ?? "?",
      credential: text(item.credentialType) ?? text(item.credential) ?? "?",
      at: text(item.verifiedAt) ?? text(item.completedAt) ?? text(item.at) ?? text(item.time) ?? null,
      state,
      verified,
      agreement,
    };
  });
  return { file, generatedAt: text(report.generatedAt) ?? text(report.createdAt) ?? null, items, verified: items.filter((i) => i.verified).length, total: items.length };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
