// The tenant's Temporary Access Pass method configuration, read once: whether an administrator's
// pass is a way into the account, and for whom. A pass is a time-limited passcode an administrator
// creates and hands over; the user signs in with it and sets up new sign-in methods: a recovery
// path that depends on the user finishing it. Microsoft: "Although you can create a TAP for any
// user, only users included in the policy can sign-in with it" (docs/exports.md). The policy
// names its targets by object id (users, or groups whose transitive members count, exclusions
// winning over inclusions), or all_users.
import type { SourceSettings } from "../../snapshot/types.ts";
import type { GraphAuthenticationMethodTarget, GraphTemporaryAccessPassConfiguration } from "./graph-types.ts";

/** The pseudo-group the policy targets for every user. */
const allUsers = "all_users";

/** Transitive member ids of each targeted group read in full; a group absent was not read. */
export type GroupMembers = ReadonlyMap<string, ReadonlySet<string>>;

export interface TemporaryAccessPassScope {
  /** The configuration as the snapshot's settings hold it; null when it was not read. */
  settings: NonNullable<SourceSettings["temporaryAccessPass"]> | null;
  /** Set when a pass can be used by someone: the method is enabled and targets someone. */
  via?: string;
  /** Set with `via`: whether the user with this object id may sign in with a pass. */
  reaches?: (userId: string) => boolean;
  /** Targeted groups whose members were not read: who may use a pass is unknown, and no path is modelled. */
  unreadGroups?: string[];
}

/** Whether a pass can be used at all: the method is enabled and includes someone. */
function inUse(config: GraphTemporaryAccessPassConfiguration | undefined): config is GraphTemporaryAccessPassConfiguration {
  return config?.state === "enabled" && (config.includeTargets ?? []).length > 0;
}

/** A target that names a group (a target of unknown type is taken for one: its members are asked for). */
const isGroup = (target: GraphAuthenticationMethodTarget) => target.id !== allUsers && target.targetType?.toLowerCase() !== "user";

/**
 * The groups, included or excluded, whose members decide who may use a pass: none while the
 * method is off or targets nobody (their members would change nothing), in the policy's order.
 */
export function temporaryAccessPassGroups(config: GraphTemporaryAccessPassConfiguration | undefined): string[] {
  if (!inUse(config)) return [];
  const ids = [...(config.includeTargets ?? []), ...(config.excludeTargets ?? [])].filter(isGroup).map((t) => t.id);
  return [...new Set(ids)];
}

export function temporaryAccessPassScope(config: GraphTemporaryAccessPassConfiguration | undefined, groupMembers: GroupMembers = new Map()): TemporaryAccessPassScope {
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
  if (!inUse(config)) return { settings };
  const unreadGroups = temporaryAccessPassGroups(config).filter((id) => !groupMembers.has(id));
  if (unreadGroups.length > 0) return { settings, unreadGroups };
  const everyone = includeTargets.includes(allUsers);
  const included = everyone ? new Set<string>() : targetedUsers(config.includeTargets ?? [], groupMembers);
  const excluded = targetedUsers(config.excludeTargets ?? [], groupMembers);
  const reaches = (userId: string) => (everyone || included.has(userId)) && !excluded.has(userId);
  const excludedText = (config.excludeTargets ?? []).length > 0 ? `, except ${describe(config.excludeTargets ?? [])}` : "";
  return { settings, via: `Temporary Access Pass policy (${describe(config.includeTargets ?? [])}${excludedText})`, reaches };
}

/** The users the targets name: user targets themselves, group targets their transitive members. */
function targetedUsers(targets: readonly GraphAuthenticationMethodTarget[], groupMembers: GroupMembers): Set<string> {
  const users = new Set<string>();
  for (const target of targets) {
    if (target.id === allUsers) continue;
    if (!isGroup(target)) users.add(target.id);
    else for (const member of groupMembers.get(target.id) ?? []) users.add(member);
  }
  return users;
}

/** `all users`, `groups a, b`, `users c`, joined by `; `. */
function describe(targets: readonly GraphAuthenticationMethodTarget[]): string {
  const groups = targets.filter((t) => t.id !== allUsers && isGroup(t)).map((t) => t.id);
  const users = targets.filter((t) => !isGroup(t) && t.id !== allUsers).map((t) => t.id);
  const parts = [
    ...(targets.some((t) => t.id === allUsers) ? ["all users"] : []),
    ...(groups.length > 0 ? [`groups ${groups.join(", ")}`] : []),
    ...(users.length > 0 ? [`users ${users.join(", ")}`] : []),
  ];
  return parts.join("; ");
}
