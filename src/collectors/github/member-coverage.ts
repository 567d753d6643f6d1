// Cross-checks the members export against what else counts or lists members: GitHub's own
// member count (members-count.json, GraphQL membersWithRole.totalCount) when exported, which
// catches any missing or doubled page; an organization always has at least one member (its
// owner); and owners (admins.json, the same call filtered by role) are members. A short members
// export makes the accounts and owner statuses built from it wrong, so the gap is reported.
// (Credential authorizations and deploy keys may name people who have left.)
import { totalCountGap } from "./organization-total.ts";
import type { GithubData } from "./rest-types.ts";
import { firstNames } from "../first-names.ts";

export function membersExportGap(data: GithubData): string | undefined {
  if (data.members === undefined) return undefined;
  if (data.members.length === 0) return "it lists no members, but every organization has at least one (its owners)";
  const counted = totalCountGap("member(s)", data.members.length, data.membersCount, "membersWithRole", "GET /orgs/{org}/members");
  if (counted !== undefined) return counted;
  const members = new Set(data.members.map((u) => u.login.toLowerCase()));
  const absent = (data.admins ?? []).map((u) => u.login).filter((login) => !members.has(login.toLowerCase()));
  if (absent.length === 0) return undefined;
  return `${absent.length} organization owner(s) in admins.json are not in it (${firstNames(absent)}); export every page of GET /orgs/{org}/members`;
}
