// Misshapen Graph exports: every page and item is checked, nothing is dropped silently, and the
// error names the file, the page/item and the field (exit 2), never a TypeError.
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entraCollector } from "../../../src/collectors/entra/collector.ts";
import { UserInputError } from "../../../src/errors.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

async function collectWith(file: string, body: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-entra-shape-"));
  cpSync(join(fixtures, "entra"), join(dir, "entra"), { recursive: true });
  writeFileSync(join(dir, "entra", file), body);
  const error = await entraCollector
    .collect({ source: { id: "cloud", kind: "entra", dir: "entra" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log() {} })
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserInputError);
  return (error as UserInputError).format().replace(`${dir}/`, "");
}

describe("Entra export shapes", () => {
  it.each([
    ["value is an object", '{"value": {"id": "1"}}', /^entra\/users\.json value: must be an array of objects$/],
    ["value is null", '{"value": null}', /^entra\/users\.json value: must be an array of objects$/],
    ["value of page 2 is a string", '[{"value": []}, {"value": "x"}]', /^entra\/users\.json page 2 value: must be an array of objects$/],
    ["an item is not an object", '{"value": [\n  {"id": "a"},\n  "x", 1]}', /^entra\/users\.json:3:3 value\[1\]: must be an object$/],
    ["userPrincipalName is a number", '{"value": [{"id": "u1", "userPrincipalName": 7}]}', /^entra\/users\.json:1:12 value\[0\]\.userPrincipalName: must be a string or null$/],
    ["a user has no id", '[{"value": [{"id": "a"}]}, {"value": [{"displayName": "x"}]}]', /^entra\/users\.json:1:39 page 2 value\[0\]\.id: is required$/],
    ["an empty array of pages", "[]", /^entra\/users\.json is an empty array of pages/],
    // A page saved twice: two accounts with one id would reach the snapshot (exit 0, then refused by evaluate).
    // A count that is not a number would hide a shortfall (only a number is compared).
    ["@odata.count as text", '{"@odata.count": "999",\n "value": [{"id": "a"}]}', /^entra\/users\.json:1:18 @odata\.count: must be a non-negative integer \(Graph sends the count as a number\)$/],
    ["a user listed twice", '[{"value": [{"id": "a"}, {"id": "b"}]},\n {"value": [{"id": "a"}]}]', /^entra\/users\.json:2:13 page 2 value\[0\]\.id: repeats the id of an item before it: the list holds this object twice/],
  ])("users.json: %s", async (_, body, expected) => {
    expect(await collectWith("users.json", body)).toMatch(expected);
  });

  it("refuses a negative @odata.count in a whole-read file at its line", async () => {
    expect(await collectWith("applications.json", '[{"value": [],\n  "@odata.count": -1}]')).toBe("entra/applications.json:2:19 page 1 @odata.count: must be a non-negative integer (Graph sends the count as a number)");
  });

  it("refuses an application or service principal listed twice, at the second copy", async () => {
    expect(await collectWith("applications.json", '{"value": [{"id": "app1"},\n  {"id": "app1"}]}')).toBe(
      "entra/applications.json:2:10 value[1].id: repeats the id of value[0]: the list holds this object twice (a page saved twice, pages that overlap, or a collection that changed while it was read)",
    );
    expect(await collectWith("servicePrincipals.json", '[{"value": [{"id": "sp1"}]}, {"value": [{"id": "sp1"}]}]')).toMatch(/^entra\/servicePrincipals\.json:1:\d+ page 2 value\[0\]\.id: repeats the id of page 1 value\[0\]/);
    // The first copy's page is found past empty pages and pages of other objects.
    expect(await collectWith("servicePrincipals.json", '[{"value": [{"id": "sp0"}, {"id": "sp1"}]}, {"value": []}, {"value": [{"id": "sp2"}]}, {"value": []}, {"value": [{"id": "sp3"}, {"id": "sp2"}]}]')).toMatch(
      /^entra\/servicePrincipals\.json:1:\d+ page 5 value\[1\]\.id: repeats the id of page 3 value\[0\]/,
    );
  });

  it("checks the non-streamed files the same way, at the line and column of the value (of the object that lacks a property)", async () => {
    expect(await collectWith("domains.json", '{"value": [{"id": "a.example", "passwordValidityPeriodInDays": "90"}]}')).toBe(
      "entra/domains.json:1:64 value[0].passwordValidityPeriodInDays: must be an integer or null",
    );
    expect(await collectWith("applications.json", '{"value": [{"id": "a", "owners": [{"displayName": "x"}]}]}')).toBe("entra/applications.json:1:35 value[0].owners[0].id: is required");
    expect(await collectWith("servicePrincipals.json", '{"value": [1]}')).toBe("entra/servicePrincipals.json:1:12 value[0]: must be an object");
    expect(await collectWith("roleAssignments.json", '{"value": null}')).toBe("entra/roleAssignments.json:1:11 value: must be an array of objects");
    expect(await collectWith("authorizationPolicy.json", '{"allowedToUseSSPR": "yes"}')).toBe("entra/authorizationPolicy.json:1:22 (body).allowedToUseSSPR: must be a boolean or null");
    expect(await collectWith("userRegistrationDetails.json", '{"value": [{"id": "u", "isSsprEnabled": 1}]}')).toMatch(
      /^entra\/userRegistrationDetails\.json:1:12 value\[0\]\.isSsprEnabled: must be a boolean or null$/,
    );
  });
});
