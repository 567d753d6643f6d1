// Where a pipeline stage reports what it is doing. The CLI passes its terminal output; a
// benchmark or a test passes its own (or nothing). Messages never carry secrets.
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
}

export const silentLog: RunLog = { info() {}, warn() {}, verbose() {} };
