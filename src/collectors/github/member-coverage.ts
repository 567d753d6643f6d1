// Cross-checks the members export against what else counts or lists members: GitHub's own
// member count (members-count.json, GraphQL membersWithRole.totalCount) when exported, which
// catches any missing or doubled page; an organization always has at least one member (its
// owner); and owners (admins.json, the same call filtered by role) are members. A short members
// export makes the accounts and owner statuses built from it wrong, so the gap is reported.
// (Credential authorizations and deploy keys may name people who have left.)
import type { SourceError } from "../../snapshot/types.ts";
import { githubExports as files } from "./export-files.ts";
import type { GithubData } from "./rest-types.ts";

export function membersExportGap(data: GithubData): string | undefined {
  if (data.members === undefined) return undefined;
  if (data.members.length === 0) return "it lists no members, but every organization has at least one (its owners)";
  if (data.membersCount !== undefined && data.membersCount !== data.members.length) {
    return `it holds ${data.members.length} member(s), GitHub counts ${data.membersCount} (membersWithRole.totalCount): a page is missing or doubled, or membership changed while the list was read; read every page of GET /orgs/{org}/members and the count again`;
  }
  const members = new Set(data.members.map((u) => u.login.toLowerCase()));
  const absent = (data.admins ?? []).map((u) => u.login).filter((login) => !members.has(login.toLowerCase()));
  if (absent.length === 0) return undefined;
  return `${absent.length} organization owner(s) in admins.json are not in it (${absent.slice(0, 3).join(", ")}${absent.length > 3 ? ", ..." : ""}); export every page of GET /orgs/{org}/members`;
}

/** A live read's members gap as a source error (the file transport records it against members.json). */
export function membersReadGap(data: GithubData): SourceError[] {
  const gap = membersExportGap(data);
  if (gap === undefined) return [];
  const file = files.members;
  return [{ step: file.step, call: file.call, code: "read-incomplete", message: `${file.call} read short: ${gap}; ${file.affects.join(", ")} left partly unknown`, affects: file.affects }];
}
