// Where print() output and parametrised-test cases go during one evaluation. SDK evaluation is
// synchronous, so the caller installs its hooks around `policy.evaluate` (withEvaluationHooks);
// outside of that, print output is dropped, as OPA does without a print hook.
export interface EvaluationHooks {
  /** One line of print() output. */
  print?(line: string): void;
  /** A parametrised test entered the case with these key values (internal.test_case). */
  testCase?(key: unknown[]): void;
  /** Evaluation reached this line (internal.coverage probes of `policy test --coverage`). */
  cover?(file: string, row: number): void;
}

let current: EvaluationHooks = {};

export function withEvaluationHooks<T>(hooks: EvaluationHooks, run: () => T): T {
  const previous = current;
  current = hooks;
  try {
    return run();
  } finally {
    current = previous;
  }
}

export function currentHooks(): EvaluationHooks {
  return current;
}
