// What one source contributes to the snapshot: collectors produce parts, assemble merges them.
import type { Account, Credential, PasswordPolicy, ResetPath, Source, SourceSettings } from "./types.ts";

/** What one source contributes to the snapshot. `source.status` says whether it is complete. */
export interface SourcePart {
  source: Source;
  settings: SourceSettings;
  passwordPolicies: PasswordPolicy[];
  accounts: Account[];
  credentials: Credential[];
  resetPaths: ResetPath[];
}
