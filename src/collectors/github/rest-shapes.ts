// The shape of each GitHub REST/GraphQL item credgov reads (rest-types.ts, as JSON Schema):
// required keys and the type of every field the normalizer touches; other properties allowed.
import { idInteger, itemShape, nullableBoolean, nullableDateTime, nullableIdInteger, nullableString, requiredString } from "../item-shape.ts";
import type { GithubCredentialAuthorization, GithubDeployKey, GithubEnvironment, GithubExternalIdentity, GithubOrg, GithubRepo, GithubSecret, GithubUser } from "./rest-types.ts";

const object = (properties: Record<string, object>, required: string[] = []) => ({ type: "object", properties, required });

export const githubOrgShape = itemShape<GithubOrg>(object({ login: requiredString, id: idInteger, two_factor_requirement_enabled: nullableBoolean }));

export const githubUserShape = itemShape<GithubUser>(
  object({ login: requiredString, id: idInteger, type: { type: "string" }, site_admin: { type: "boolean" } }, ["login"]),
);

export const githubCredentialAuthorizationShape = itemShape<GithubCredentialAuthorization>(
  object(
    {
      login: requiredString,
      credential_id: idInteger,
      credential_type: { type: "string" },
      credential_authorized_at: nullableDateTime,
      credential_accessed_at: nullableDateTime,
      authorized_credential_expires_at: nullableDateTime,
      authorized_credential_note: nullableString,
      authorized_credential_title: nullableString,
      authorized_credential_id: nullableIdInteger,
      fingerprint: { type: "string" },
      scopes: { type: "array", items: { type: "string" } },
    },
    ["login", "credential_id"],
  ),
);

export const githubSecretShape = itemShape<GithubSecret>(
  object({ name: requiredString, created_at: nullableDateTime, updated_at: nullableDateTime, visibility: { type: "string" } }, ["name"]),
);

export const githubEnvironmentShape = itemShape<GithubEnvironment>(object({ name: requiredString }, ["name"]));

export const githubDeployKeyShape = itemShape<GithubDeployKey>(
  object(
    {
      id: idInteger,
      title: nullableString,
      read_only: { type: "boolean" },
      created_at: nullableDateTime,
      last_used: nullableDateTime,
      added_by: nullableString,
      enabled: { type: "boolean" },
    },
    ["id"],
  ),
);

export const githubRepoShape = itemShape<GithubRepo>(object({ name: requiredString }, ["name"]));

export const githubExternalIdentityShape = itemShape<GithubExternalIdentity>(
  object({
    samlIdentity: { type: ["object", "null"], properties: { nameId: nullableString } },
    user: { type: ["object", "null"], properties: { login: nullableString } },
  }),
);
