// Compiled rules -> OPA IR: the Planner class (planner-core.ts) with its methods for rules and
// virtual documents, `with` and mocks, and bodies and terms, each file adding its own.
import "./rule-tree.ts";
import "./with-mocks.ts";
import "./bodies-terms.ts";

export { Planner, PlanningError, type PlanRequest } from "./planner-core.ts";
