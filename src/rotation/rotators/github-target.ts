// Which GitHub object a plan item's credential is: the snapshot ids of GitHub secrets and deploy
// keys name their holder (`<source>:org:<org>` or `<source>:repo:<repo>`, see
// snapshot/credential-holder.ts), for an environment's secret the environment, the store and
// the secret name or key id.
import type { PlanItem } from "../plan.ts";
import { scrubber } from "../../collectors/github/live-session.ts";
import { RotationError } from "../rotator.ts";
import { serverText } from "../../secret-redaction.ts";

/** The secret stores of the GitHub REST API, as their paths name them. */
export type GithubSecretStore = "actions" | "dependabot" | "codespaces";

export interface GithubTarget {
  holder: "org" | "repo";
  /** Organization login or repository name. */
  name: string;
  /** A secret of one store, or a deploy key. */
  kind: GithubSecretStore | "deploy-key";
  /** The repository environment holding an Actions secret. */
  environment?: string;
  /** Secret name or deploy key id. */
  key: string;
}

// Secret names hold only letters, digits and underscores, and deploy key ids only digits, so
// the last `:` ends an environment name that may itself hold one.
const credentialId = /^(org|repo):([^:]+):(?:environment:(.+):(?=actions-secret:))?(actions-secret|dependabot-secret|codespaces-secret|deploy-key):([^:]+)$/;

export function githubTarget(item: PlanItem): GithubTarget {
  const prefix = `${item.source.id}:`;
  const match = item.credential.startsWith(prefix) ? credentialId.exec(item.credential.slice(prefix.length)) : null;
  if (!match) throw new RotationError("plan", `${item.credential} is not a GitHub secret or deploy key of source ${item.source.id}`);
  const kind = match[4] === "deploy-key" ? "deploy-key" : (match[4].replace(/-secret$/, "") as GithubSecretStore);
  return { holder: match[1] as "org" | "repo", name: match[2], kind, ...(match[3] === undefined ? {} : { environment: match[3] }), key: match[5] };
}

/** Tokens GitHub issues (ghp_, ghs_ ... and "token"/"bearer" values): what a reply quoting our request's Authorization header would show. */
const redactTokens = scrubber([]);

/** A failed GitHub call as a rotation error: status and GitHub's message (bounded, tokens redacted), never a secret. */
export function githubRotationError(step: string, what: string, error: unknown): RotationError {
  const failure = error as { status?: number; message?: string; response?: unknown };
  const status = failure.response !== undefined && typeof failure.status === "number" ? failure.status : 0;
  const message = redactTokens(serverText(String(failure.message ?? error), []));
  return new RotationError(step, `${step} for ${what}: ${status ? `HTTP ${status}: ` : "no response: "}${message}`, {
    code: status ? `http-${status}` : "network",
    transient: status === 0 || status === 429 || status >= 500,
    cause: error,
  });
}
