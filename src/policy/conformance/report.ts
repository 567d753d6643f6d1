// Summaries of a run: the per-folder table for people, the JSON report for tools.
import type { CaseRef } from "./case-file.ts";
import type { Verdict } from "./evaluate-case.ts";

export interface FolderCount {
  folder: string;
  passed: number;
  failed: number;
  skipped: number;
}

export function countByFolder(refs: CaseRef[], verdicts: Verdict[]): FolderCount[] {
  const byFolder = new Map<string, FolderCount>();
  refs.forEach((ref, i) => {
    let row = byFolder.get(ref.folder);
    if (!row) byFolder.set(ref.folder, (row = { folder: ref.folder, passed: 0, failed: 0, skipped: 0 }));
    const status = verdicts[i].status;
    if (status === "pass") row.passed++;
    else if (status === "fail") row.failed++;
    else row.skipped++;
  });
  return [...byFolder.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

export function formatTable(rows: FolderCount[]): string {
  const header = ["folder", "passed", "failed", "skipped"];
  const body = rows.map((r) => [r.folder, String(r.passed), String(r.failed), String(r.skipped)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function summaryLine(rows: FolderCount[]): string {
  const total = rows.reduce((t, r) => ({ p: t.p + r.passed, f: t.f + r.failed, s: t.s + r.skipped }), { p: 0, f: 0, s: 0 });
  return `conformance: ${total.p} passed, ${total.f} failed, ${total.s} skipped`;
}

/** Failures and skips with their reasons; values are truncated so one huge result cannot bloat the file. */
export function jsonReport(mode: string, root: string, refs: CaseRef[], verdicts: Verdict[], rows: FolderCount[]): unknown {
  const clip = (v: unknown) => {
    if (v === undefined) return undefined;
    const s = JSON.stringify(v);
    return s.length > 2000 ? `${s.slice(0, 2000)}…` : v;
  };
  const entries = (status: Verdict["status"]) =>
    refs.flatMap((ref, i) => {
      const v = verdicts[i];
      if (v.status !== status || v.status === "pass") return [];
      return [{
        folder: ref.folder,
        file: ref.relativeFile,
        index: ref.index,
        note: ref.note,
        reason: v.reason,
        ...(v.status === "fail" ? { got: clip(v.got), want: clip(v.want) } : {}),
      }];
    });
  return { mode, suite: root, summary: summaryLine(rows), folders: rows, failures: entries("fail"), skips: entries("skip") };
}
