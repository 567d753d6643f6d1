// Exit codes are part of credgov's contract with CI pipelines (see ARCHITECTURE.md).
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  collectionIncomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
