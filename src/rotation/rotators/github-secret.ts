// Rotates GitHub secrets of every store that takes sealed values: Actions (organization,
// repository, environment), Dependabot and Codespaces (organization, repository). The runner
// generates the secret; `set` fetches the store's own public key, encrypts the value in a
// libsodium sealed box (what GitHub's REST API requires) and PUTs it. Secrets are write-only,
// so the value cannot be read back: `verify` reports "unverifiable" and the runner trusts the
// accepted PUT.
import sodium from "libsodium-wrappers";
import type { Octokit } from "octokit";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import type { SetResult, Verification } from "../rotator.ts";
import { githubRotationError, githubTarget, type GithubSecretStore, type GithubTarget } from "./github-target.ts";

export interface GithubSecretRotation {
  canRotate(item: PlanItem): string | undefined;
  constraints(item: PlanItem): SecretConstraints;
  set(item: PlanItem, secret: string): Promise<SetResult>;
  verify(item: PlanItem, secret: string): Promise<Verification>;
}

/** The store each snapshot credential type of a GitHub secret lives in. */
const storeOf: Readonly<Record<string, GithubSecretStore>> = { actionsSecret: "actions", dependabotSecret: "dependabot", codespacesSecret: "codespaces" };

const storeName: Record<GithubSecretStore, string> = { actions: "Actions", dependabot: "Dependabot", codespaces: "Codespaces" };

/** Whether a credential type is a GitHub secret this module rotates. */
export function isGithubSecret(credentialType: string): boolean {
  return credentialType in storeOf;
}

/** GitHub limits a secret value to 48 KB; the runner's generated secrets are far shorter. */
const maxSecretBytes = 48 * 1024;

/** The REST route of a secret's store (its list; `/public-key` and `/{secret_name}` below it), with its parameters. */
function storeRoute(target: GithubTarget, org: string): { route: string; params: Record<string, string> } {
  if (target.holder === "org") return { route: `/orgs/{org}/${target.kind}/secrets`, params: { org } };
  if (target.environment !== undefined) return { route: "/repos/{owner}/{repo}/environments/{environment_name}/secrets", params: { owner: org, repo: target.name, environment_name: target.environment } };
  return { route: `/repos/{owner}/{repo}/${target.kind}/secrets`, params: { owner: org, repo: target.name } };
}

function describe(target: GithubTarget, org: string): string {
  const holder = target.holder === "org" ? `organization ${org}` : `repository ${org}/${target.name}${target.environment === undefined ? "" : ` environment ${target.environment}`}`;
  return `${holder} ${target.kind === "actions" ? "" : `${storeName[target.kind as GithubSecretStore]} `}secret ${target.key}`;
}

export function githubSecretRotation(octokit: () => Promise<Octokit>, org: string): GithubSecretRotation {
  return {
    canRotate(item) {
      const store = storeOf[item.credentialType];
      if (store === undefined) return `not a GitHub secret (${item.credentialType})`;
      const target = githubTarget(item);
      if (target.kind !== store) return `${item.credential} is not a secret of the ${storeName[store]} store (a ${item.credentialType})`;
      if (target.holder === "org" && target.name !== org) return `organization ${target.name} is not the source's organization ${org}`;
      return undefined;
    },

    constraints(item) {
      return { ...item.constraints, maxLength: Math.min(item.constraints.maxLength ?? maxSecretBytes, maxSecretBytes) };
    },

    async set(item, secret) {
      const target = githubTarget(item);
      const what = describe(target, org);
      const client = await octokit();
      const base = storeRoute(target, org);
      let key: { key_id: string; key: string };
      try {
        key = (await client.request(`GET ${base.route}/public-key`, base.params)).data as typeof key;
      } catch (error) {
        throw githubRotationError("public-key", what, error);
      }
      await sodium.ready;
      const sealed = sodium.crypto_box_seal(sodium.from_string(secret), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL));
      const body: Record<string, unknown> = { ...base.params, secret_name: target.key, encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL), key_id: key.key_id };
      if (target.holder === "org") {
        // An organization secret's PUT must restate its visibility; keep what it is.
        try {
          const current = (await client.request(`GET ${base.route}/{secret_name}`, { ...base.params, secret_name: target.key })).data as { visibility?: string };
          body.visibility = current.visibility ?? "private";
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw githubRotationError("read secret", what, error);
          body.visibility = "private";
        }
      }
      try {
        await client.request(`PUT ${base.route}/{secret_name}`, body);
      } catch (error) {
        throw githubRotationError("put secret", what, error);
      }
      return { ref: key.key_id };
    },

    async verify() {
      return "unverifiable";
    },
  };
}
