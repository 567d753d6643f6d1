// The failing subjects of one control in one scan, as stored: gzip of one JSON array per line
// ([source, subject id, subject name, excepted]). The fingerprint is derived from these keys.
import { gunzipSync, gzipSync } from "node:zlib";
import type { FailingFinding } from "../drift/finding-diff.ts";

export function encodeFailing(failing: readonly FailingFinding[]): Uint8Array {
  const lines = failing.map((f) => JSON.stringify([f.source, f.subjectId, f.subjectName, f.excepted ? 1 : 0])).join("\n");
  return gzipSync(lines, { level: 6 });
}

export function decodeFailing(controlId: string, severity: string, bytes: Uint8Array): FailingFinding[] {
  const text = gunzipSync(bytes).toString("utf8");
  if (text === "") return [];
  return text.split("\n").map((line) => {
    const [source, subjectId, subjectName, excepted] = JSON.parse(line) as [string, string, string, number];
    return { controlId, source, subjectId, subjectName, severity, ...(excepted ? { excepted: true } : {}) };
  });
}
