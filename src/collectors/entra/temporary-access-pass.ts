// The tenant's Temporary Access Pass method configuration, read once: whether an administrator's
// pass is a way into the account, and for whom. A pass is a time-limited passcode an administrator
// creates and hands over; the user signs in with it and sets up new sign-in methods: a recovery
// path that depends on the user finishing it. Microsoft: "Although you can create a TAP for any
// user, only users included in the policy can sign-in with it" (docs/exports.md).
import type { SourceSettings } from "../../snapshot/types.ts";
import type { GraphTemporaryAccessPassConfiguration } from "./graph-types.ts";

/** The pseudo-group the policy targets for every user. */
const allUsers = "all_users";

export interface TemporaryAccessPassScope {
  /** The configuration as the snapshot's settings hold it; null when it was not read. */
  settings: NonNullable<SourceSettings["temporaryAccessPass"]> | null;
  /**
   * Set when a pass can be used by the users: the method is enabled and targets someone. Group
   * membership is not collected, so every user counts as in scope (the conservative reading):
   * members of the include groups cannot be told from others, nor members of exclude groups.
   */
  via?: string;
}

export function temporaryAccessPassScope(config: GraphTemporaryAccessPassConfiguration | undefined): TemporaryAccessPassScope {
  if (config === undefined) return { settings: null };
  const state = config.state === "enabled" || config.state === "disabled" ? config.state : null;
  const includeTargets = (config.includeTargets ?? []).map((t) => t.id);
  const excludeTargets = (config.excludeTargets ?? []).map((t) => t.id);
  const settings: NonNullable<TemporaryAccessPassScope["settings"]> = {
    state,
    includeTargets,
    excludeTargets,
    isUsableOnce: config.isUsableOnce ?? null,
    defaultLifetimeInMinutes: config.defaultLifetimeInMinutes ?? null,
    minimumLifetimeInMinutes: config.minimumLifetimeInMinutes ?? null,
    maximumLifetimeInMinutes: config.maximumLifetimeInMinutes ?? null,
  };
  if (state !== "enabled" || includeTargets.length === 0) return { settings };
  const targets = includeTargets.includes(allUsers) ? "all users" : `groups ${includeTargets.join(", ")}`;
  const excluded = excludeTargets.length > 0 ? `, except groups ${excludeTargets.join(", ")}` : "";
  return { settings, via: `Temporary Access Pass policy (${targets}${excluded})` };
}
