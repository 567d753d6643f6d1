// Public API of the evaluation engine.
export { evaluateSnapshot, type SerializedSnapshot, type EvaluateOptions, type Evaluation, type EvaluationStats, type Thresholds } from "./evaluate.ts";
export type { Finding, FindingStatus, FindingSubject, ExceptionRecord } from "./finding.ts";
export { builtinPoliciesDir } from "./policy-sources.ts";
