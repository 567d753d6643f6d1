// The gaps of a live read's paged lists, as source errors: the members (owner and count checks,
// member-coverage.ts) and the repositories (GitHub's count, organization-total.ts). The file
// transport records the same gaps against members.json and repos.json.
import type { SourceError } from "../../snapshot/types.ts";
import { githubExports as files } from "./export-files.ts";
import { membersExportGap } from "./member-coverage.ts";
import { totalCountGap } from "./organization-total.ts";
import type { GithubData } from "./rest-types.ts";

export function listReadGaps(data: GithubData): SourceError[] {
  const gaps: [typeof files.members | typeof files.repos, string | undefined][] = [
    [files.members, membersExportGap(data)],
    [files.repos, data.repos === undefined ? undefined : totalCountGap("repositories", data.repos.length, data.reposCount, "repositories", "GET /orgs/{org}/repos")],
  ];
  return gaps.flatMap(([file, gap]) => (gap === undefined ? [] : [{ step: file.step, call: file.call, code: "read-incomplete", message: `${file.call} read short: ${gap}; ${file.affects.join(", ")} left partly unknown`, affects: file.affects }]));
}
