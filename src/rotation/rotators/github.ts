// The GitHub rotator: secrets (Actions of an organization, repository or environment; Dependabot
// and Codespaces of an organization or repository) and deploy keys, each in its own module, behind the one Rotator the registry serves for `kind: github`. The octokit client
// (token or GitHub App, like the collector's) is built on first use.
import type { Octokit } from "octokit";
import type { GithubSourceConfig } from "../../config/types.ts";
import { githubClientFor } from "../../collectors/github/live-session.ts";
import type { PlanItem } from "../plan.ts";
import { RotationError, type Rotator } from "../rotator.ts";
import { githubSecretRotation, isGithubSecret } from "./github-secret.ts";
import { githubDeployKeyRotation } from "./github-deploy-key.ts";
import type { RotatorContext } from "./registry.ts";

export function githubRotator(context: RotatorContext, log: (message: string) => void = () => {}): Rotator {
  const source = context.source as GithubSourceConfig;
  const org = String(source.org ?? "");
  let client: Promise<Octokit> | undefined;
  const octokit = () => (client ??= githubClientFor(source, context.env, context.configDir, log, "write").then((c) => c.octokit));
  const secrets = githubSecretRotation(octokit, org);
  const keys = githubDeployKeyRotation(octokit, org);
  const forItem = (item: PlanItem) => {
    if (isGithubSecret(item.credentialType)) return secrets;
    if (item.credentialType === "deployKey") return keys;
    return undefined;
  };
  const need = (item: PlanItem) => {
    const rotation = forItem(item);
    if (!rotation) throw new RotationError("plan", `GitHub rotates Actions, Dependabot and Codespaces secrets and deploy keys, not ${item.credentialType}`);
    return rotation;
  };

  return {
    kind: "github",
    canRotate(item) {
      if (!org) return "the source has no org: (live GitHub settings)";
      const rotation = forItem(item);
      return rotation ? rotation.canRotate(item) : `GitHub rotates Actions, Dependabot and Codespaces secrets and deploy keys, not ${item.credentialType}`;
    },
    constraints: (item) => need(item).constraints(item),
    set: (item, secret) => need(item).set(item, secret),
    verify: (item, secret) => need(item).verify(item, secret),
    async issue(item) {
      // Deploy keys are key pairs made here; secrets get the runner's generated secret
      // (stored pending before `set` sends it: GitHub cannot give it back).
      return item.credentialType === "deployKey" ? keys.issue(item) : undefined;
    },
    async retire(item, keepRef) {
      if (item.credentialType === "deployKey") await keys.retire(item, keepRef);
    },
    async close() {},
  };
}
