// Cross-checks the users read against the users other calls name: every tenant has at least one
// user, and a user who holds a directory role or owns an application or service principal
// exists (Entra removes both when a user is deleted). One of them missing means the users
// export is short (a page dropped with its @odata.nextLink, pages merged by hand): accounts,
// credentials and reset paths built from it would be judged on part of the tenant.
import type { GraphDirectoryObject } from "./graph-types.ts";
import { firstNames } from "../first-names.ts";

const userType = "#microsoft.graph.user";

export function usersExportGap(usersRead: number, named: Iterable<GraphDirectoryObject>, isRead: (id: string) => boolean): string | undefined {
  if (usersRead === 0) return "it lists no users, but every tenant has at least one (its administrators)";
  const absent = new Map<string, string>();
  for (const object of named) {
    if (object["@odata.type"] !== userType || isRead(object.id) || absent.has(object.id)) continue;
    absent.set(object.id, object.userPrincipalName ?? object.displayName ?? object.id);
  }
  if (absent.size === 0) return undefined;
  return `${absent.size} user(s) holding a role or owning an application are not in it (e.g. ${firstNames(absent.values())}); export every page of GET /v1.0/users`;
}
