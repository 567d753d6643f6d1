// Rotates repository deploy keys: `issue` makes a new Ed25519 key pair and adds its public key
// to the repository (with the old key's read-only setting and title), the runner delivers the
// private key to the sink, `verify` checks GitHub holds exactly that public key, and `retire`
// deletes the old key. `set` (a resumed run) adds the key again if GitHub lost it.
import type { Octokit } from "octokit";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import type { SetResult, Verification } from "../rotator.ts";
import { RotationError } from "../rotator.ts";
import { githubRotationError, githubTarget } from "./github-target.ts";
import { generateEd25519, publicKeyOf } from "./openssh-ed25519.ts";

interface DeployKey {
  id: number;
  key: string;
  title?: string | null;
  read_only?: boolean;
}

export interface GithubDeployKeyRotation {
  canRotate(item: PlanItem): string | undefined;
  constraints(item: PlanItem): SecretConstraints;
  issue(item: PlanItem): Promise<{ secret: string; ref: string }>;
  set(item: PlanItem, secret: string): Promise<SetResult>;
  verify(item: PlanItem, secret: string): Promise<Verification>;
  retire(item: PlanItem, keepRef: string | undefined): Promise<void>;
}

/** The key part of an authorized_keys line (type and base64), without the comment. */
const keyPart = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(" ");

export function githubDeployKeyRotation(octokit: () => Promise<Octokit>, org: string): GithubDeployKeyRotation {
  const where = (item: PlanItem) => {
    const target = githubTarget(item);
    if (target.holder !== "repo" || target.kind !== "deploy-key" || !/^\d+$/.test(target.key)) throw new RotationError("plan", `${item.credential} is not a repository deploy key`);
    return { repo: target.name, keyId: Number(target.key), what: `deploy key ${target.key} of ${org}/${target.name}` };
  };
  const listKeys = async (repo: string, what: string): Promise<DeployKey[]> => {
    try {
      return (await (await octokit()).paginate("GET /repos/{owner}/{repo}/keys", { owner: org, repo, per_page: 100 })) as DeployKey[];
    } catch (error) {
      throw githubRotationError("list keys", what, error);
    }
  };
  const add = async (repo: string, what: string, title: string, key: string, readOnly: boolean): Promise<DeployKey> => {
    try {
      return (await (await octokit()).request("POST /repos/{owner}/{repo}/keys", { owner: org, repo, title, key, read_only: readOnly })).data as DeployKey;
    } catch (error) {
      throw githubRotationError("add key", what, error);
    }
  };

  return {
    canRotate(item) {
      if (item.credentialType !== "deployKey") return `not a deploy key (${item.credentialType})`;
      try {
        where(item);
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },

    constraints(item) {
      // The secret is a generated key pair, not a password.
      return item.constraints;
    },

    async issue(item) {
      const { repo, keyId, what } = where(item);
      const old = (await listKeys(repo, what)).find((k) => k.id === keyId);
      const pair = generateEd25519(`credgov ${org}/${repo}`);
      const title = `${old?.title ?? "deploy key"} (credgov ${new Date().toISOString().slice(0, 10)})`;
      const created = await add(repo, what, title, pair.publicKey, old?.read_only ?? true);
      return { secret: pair.privateKey, ref: String(created.id) };
    },

    async set(item, secret) {
      const { repo, keyId, what } = where(item);
      const wanted = publicKeyOf(secret);
      const keys = await listKeys(repo, what);
      const present = keys.find((k) => keyPart(k.key) === wanted);
      if (present) return { ref: String(present.id) };
      const old = keys.find((k) => k.id === keyId);
      const created = await add(repo, what, `${old?.title ?? "deploy key"} (credgov)`, wanted, old?.read_only ?? true);
      return { ref: String(created.id) };
    },

    async verify(item, secret) {
      const { repo, what } = where(item);
      const wanted = publicKeyOf(secret);
      return (await listKeys(repo, what)).some((k) => keyPart(k.key) === wanted) ? "works" : "rejected";
    },

    async retire(item, keepRef) {
      const { repo, keyId, what } = where(item);
      if (keepRef === String(keyId)) return;
      try {
        await (await octokit()).request("DELETE /repos/{owner}/{repo}/keys/{key_id}", { owner: org, repo, key_id: keyId });
      } catch (error) {
        // Already gone (a resumed run): the goal is reached.
        if ((error as { status?: number }).status === 404) return;
        throw githubRotationError("delete key", what, error);
      }
    },
  };
}
