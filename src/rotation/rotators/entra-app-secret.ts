// Rotates Entra application client secrets through Microsoft Graph: `issue` adds a new password
// credential (Graph generates the secret: addPassword), the runner delivers it to the sink,
// `verify` acquires a token with it (client credentials, a fresh @azure/identity credential),
// and `retire` removes the old one (removePassword) once the configured overlap has passed, so
// consumers have time to pick up the new secret. The rotator signs in with the source's own
// credential, which needs Application.ReadWrite.OwnedBy (or .All) for the applications it rotates.
import { ClientSecretCredential } from "@azure/identity";
import { setTimeout as delay } from "node:timers/promises";
import type { EntraSourceConfig } from "../../config/types.ts";
import { defaultAuthorityHost, defaultGraphBaseUrl, graphScope, knownAuthority } from "../../collectors/entra/live-credential.ts";
import { GraphCallError, type GraphSession } from "../../collectors/entra/live-graph-session.ts";
import { graphSessionFor } from "../../collectors/entra/live-session-config.ts";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import { RotationError, type Rotator, type SetResult, type Verification } from "../rotator.ts";
import { serverText } from "../../secret-redaction.ts";
import type { RotatorContext } from "./registry.ts";

export interface EntraAppSecretOptions {
  /** How long the old secret keeps working after the new one is promoted (default 0). */
  overlapSeconds: number;
  /** Lifetime of the new secret (default 180 days). */
  lifetimeDays: number;
  /** New secrets can take a moment to replicate: attempts and pause of `verify`. */
  verifyAttempts: number;
  verifyPauseMs: number;
}

export function entraAppSecretRotator(context: RotatorContext, options: Partial<EntraAppSecretOptions> = {}): Rotator {
  const source = context.source as EntraSourceConfig;
  const settings: EntraAppSecretOptions = { overlapSeconds: 0, lifetimeDays: 180, verifyAttempts: 3, verifyPauseMs: 2000, ...source.rotation, ...options };
  let session: GraphSession | undefined;
  const graph = () => (session ??= graphSessionFor(source, context.env, context.configDir));
  const tenantId = source.tenantId ?? context.env.AZURE_TENANT_ID;
  const authorityHost = (source.authorityHost ?? context.env.AZURE_AUTHORITY_HOST ?? defaultAuthorityHost).replace(/\/+$/, "");
  const graphBaseUrl = source.graphBaseUrl ?? defaultGraphBaseUrl;
  /** keyId -> when the secret that replaced an old one was issued (for the overlap). */
  const issuedAt = new Map<string, number>();

  const target = (item: PlanItem) => {
    const objectId = item.account.nativeIds?.objectId;
    const appId = item.account.nativeIds?.appId;
    const keyId = /:clientSecret:([^:]+)$/.exec(item.credential)?.[1];
    if (typeof objectId !== "string" || typeof appId !== "string" || !keyId) throw new RotationError("plan", `${item.credential} does not name an application object, app id and secret key id`);
    return { objectId, appId, keyId };
  };
  const failed = (step: string, item: PlanItem, error: unknown): RotationError => {
    const status = error instanceof GraphCallError ? error.status : 0;
    const why = error instanceof GraphCallError ? error.describe() : String((error as Error)?.message ?? error);
    const hint = status === 403 ? " (the credgov application needs Application.ReadWrite.OwnedBy and to own this application)" : "";
    return new RotationError(step, `${step} for ${item.account.name}: ${why}${hint}`, { code: status ? `http-${status}` : "network", transient: status === 0 || status === 429 || status >= 500, cause: error });
  };

  return {
    kind: "entra",

    canRotate(item) {
      if (item.credentialType !== "clientSecret") return `Entra rotates application client secrets, not ${item.credentialType}`;
      if (item.account.kind !== "application") return "only application objects' secrets are rotated (service principal secrets belong to their application's owner tenant)";
      try {
        target(item);
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },

    constraints(item): SecretConstraints {
      // Graph generates the secret (addPassword); nothing is generated locally.
      return item.constraints;
    },

    async issue(item) {
      const { objectId, keyId: planned } = target(item);
      // A plan from a scan older than an earlier rotation names a key that is gone: adding a
      // secret now would leave the earlier rotation's secret valid beside it (retire removes only
      // the planned key). Refuse, so the operator scans again.
      let current;
      try {
        current = await graph().get(`/applications/${encodeURIComponent(objectId)}?$select=passwordCredentials`);
      } catch (error) {
        throw failed("read application", item, error);
      }
      const keys = Array.isArray(current?.passwordCredentials) ? (current.passwordCredentials as Array<{ keyId?: unknown }>).map((c) => c.keyId) : [];
      if (!keys.includes(planned)) {
        throw new RotationError("plan", `${item.account.name}: secret ${planned} is no longer on the application (rotated or removed since the scan this plan was built from): scan again and plan anew`);
      }
      const end = new Date(Date.now() + settings.lifetimeDays * 86_400_000).toISOString();
      let reply;
      try {
        reply = await graph().post(`/applications/${encodeURIComponent(objectId)}/addPassword`, { passwordCredential: { displayName: `credgov rotation ${new Date().toISOString().slice(0, 10)}`, endDateTime: end } });
      } catch (error) {
        throw failed("addPassword", item, error);
      }
      const secret = reply?.secretText;
      const keyId = reply?.keyId;
      if (typeof secret !== "string" || typeof keyId !== "string") throw new RotationError("addPassword", `addPassword for ${item.account.name} returned no secretText/keyId`);
      issuedAt.set(keyId, Date.now());
      return { secret, ref: keyId };
    },

    async set(): Promise<SetResult> {
      // addPassword (issue) already put the secret in the directory; Graph cannot set a chosen value.
      return {};
    },

    async verify(item, secret): Promise<Verification> {
      const { appId } = target(item);
      if (!tenantId) throw new RotationError("verify", "tenantId is not configured (source tenantId or AZURE_TENANT_ID)");
      for (let attempt = 1; ; attempt++) {
        const credential = new ClientSecretCredential(tenantId, appId, secret, { authorityHost, disableInstanceDiscovery: !knownAuthority(authorityHost) });
        try {
          await credential.getToken(graphScope(graphBaseUrl));
          return "works";
        } catch (error) {
          const message = String((error as Error)?.message ?? error);
          // AADSTS7000215 invalid client secret; AADSTS7000222 expired. Anything else: cannot tell.
          if (!/AADSTS7000215|AADSTS7000222|invalid_client/.test(message)) {
            throw new RotationError("verify", `token request for ${item.account.name} failed: ${serverText(message, [secret])}`, { transient: true });
          }
          if (attempt >= settings.verifyAttempts) return "rejected";
          await delay(settings.verifyPauseMs);
        }
      }
    },

    async retire(item, keepRef) {
      const { objectId, keyId } = target(item);
      if (keepRef === keyId) return;
      const issued = keepRef ? issuedAt.get(keepRef) : undefined;
      const wait = issued === undefined ? 0 : issued + settings.overlapSeconds * 1000 - Date.now();
      if (wait > 0) await delay(wait);
      try {
        await graph().post(`/applications/${encodeURIComponent(objectId)}/removePassword`, { keyId });
      } catch (error) {
        // Already removed (a resumed run): the goal is reached.
        if (error instanceof GraphCallError && (error.status === 404 || (error.status === 400 && /keyId|No password credential/i.test(error.message)))) return;
        throw failed("removePassword", item, error);
      }
    },

    async close() {},
  };
}
