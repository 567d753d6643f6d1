// Line of each subject in the snapshot file, so every SARIF result points at the exact line
// that holds the facts behind it (the snapshot writer puts one object per line).
const idPattern = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

export function subjectLines(snapshotText: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let start = 0;
  while (start <= snapshotText.length) {
    let end = snapshotText.indexOf("\n", start);
    if (end === -1) end = snapshotText.length;
    const match = idPattern.exec(snapshotText.slice(start, Math.min(end, start + 4096)));
    if (match) {
      const id = JSON.parse(`"${match[1]}"`) as string;
      if (!lines.has(id)) lines.set(id, line);
    }
    start = end + 1;
    line++;
  }
  return lines;
}
