// Rotates GitHub Actions secrets (organization and repository): the runner generates the
// secret; `set` fetches the holder's public key, encrypts the value in a libsodium sealed box
// (what GitHub's REST API requires) and PUTs it. Actions secrets are write-only, so the value
// cannot be read back: `verify` reports "unverifiable" and the runner trusts the accepted PUT.
import sodium from "libsodium-wrappers";
import type { Octokit } from "octokit";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import type { SetResult, Verification } from "../rotator.ts";
import { githubRotationError, githubTarget } from "./github-target.ts";

export interface GithubActionsSecretRotation {
  canRotate(item: PlanItem): string | undefined;
  constraints(item: PlanItem): SecretConstraints;
  set(item: PlanItem, secret: string): Promise<SetResult>;
  verify(item: PlanItem, secret: string): Promise<Verification>;
}

/** GitHub limits a secret value to 48 KB; the runner's generated secrets are far shorter. */
const maxSecretBytes = 48 * 1024;

export function githubActionsSecretRotation(octokit: () => Promise<Octokit>, org: string): GithubActionsSecretRotation {
  return {
    canRotate(item) {
      if (item.credentialType !== "actionsSecret") return `not an Actions secret (${item.credentialType})`;
      const target = githubTarget(item);
      if (target.holder === "org" && target.name !== org) return `organization ${target.name} is not the source's organization ${org}`;
      return undefined;
    },

    constraints(item) {
      return { ...item.constraints, maxLength: Math.min(item.constraints.maxLength ?? maxSecretBytes, maxSecretBytes) };
    },

    async set(item, secret) {
      const target = githubTarget(item);
      const what = `${target.holder === "org" ? `organization ${org}` : `repository ${org}/${target.name}`} secret ${target.key}`;
      const client = await octokit();
      const base = target.holder === "org" ? { route: "/orgs/{org}/actions/secrets", params: { org } } : { route: "/repos/{owner}/{repo}/actions/secrets", params: { owner: org, repo: target.name } };
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
