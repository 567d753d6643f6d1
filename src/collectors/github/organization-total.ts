// GitHub's own count of an organization's members or repositories (GraphQL `totalCount`), to
// check a paged REST list against: the REST lists state no total, so a page left out of an
// export (or skipped while membership shifted under offset paging) shows only against this.
import { UserInputError } from "../../errors.ts";
import type { Parsed } from "../export-reader.ts";

export type OrganizationConnection = "membersWithRole" | "repositories";

/** The query; GraphQL asks `first` of every connection, though only the total is read. */
export function organizationTotalQuery(connection: OrganizationConnection): string {
  return `query($org: String!) {
  organization(login: $org) {
    ${connection}(first: 1) { totalCount }
  }
}`;
}

/** `{"data": {"organization": {"<connection>": {"totalCount": n}}}}` -> n. */
export function organizationTotal(connection: OrganizationConnection) {
  return (body: unknown, displayName: string): Parsed<number> => {
    const organization = isObject(body) && isObject(body.data) ? body.data.organization : undefined;
    if (!isObject(organization)) throw new UserInputError(`is not the GraphQL answer of organization { ${connection} { totalCount } } (no data.organization object)`, { file: displayName, field: "data.organization" });
    const count = isObject(organization[connection]) ? organization[connection].totalCount : undefined;
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
      throw new UserInputError("must be a non-negative integer", { file: displayName, field: `data.organization.${connection}.totalCount` });
    }
    return { value: count, resultCount: 1, pages: 1 };
  };
}

/** Why a list of `listed` items disagrees with GitHub's count, or undefined when it agrees (or nothing was counted). */
export function totalCountGap(noun: string, listed: number, counted: number | undefined, connection: OrganizationConnection, call: string): string | undefined {
  if (counted === undefined || counted === listed) return undefined;
  return `it holds ${listed} ${noun}, GitHub counts ${counted} (${connection}.totalCount): a page is missing or doubled, or the list changed while it was read; read every page of ${call} and the count again`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
