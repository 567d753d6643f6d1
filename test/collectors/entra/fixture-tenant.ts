// The Entra fixture tenant (test/fixtures/entra, the export files) as the parsed Graph data the
// normalizer takes, for tests that feed the normalizer in orders of their own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EntraGraphData } from "../../../src/collectors/entra/graph-types.ts";

const dir = new URL("../../fixtures/entra/", import.meta.url).pathname;
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
// A collection file is one page or an array of pages.
const list = <T>(file: string) => {
  const body = JSON.parse(readFileSync(join(dir, file), "utf8")) as { value: T[] } | { value: T[] }[];
  return (Array.isArray(body) ? body : [body]).flatMap((page) => page.value);
};

export function fixtureTenant(): EntraGraphData {
  return {
    users: list("users.json"),
    domains: list("domains.json"),
    authorizationPolicy: read("authorizationPolicy.json") as EntraGraphData["authorizationPolicy"],
    temporaryAccessPass: read("temporaryAccessPass.json") as EntraGraphData["temporaryAccessPass"],
    userRegistrationDetails: list("userRegistrationDetails.json"),
    onPremisesSynchronization: list("onPremisesSynchronization.json"),
    applications: list("applications.json"),
    servicePrincipals: list("servicePrincipals.json"),
    roleAssignments: list("roleAssignments.json"),
  };
}
