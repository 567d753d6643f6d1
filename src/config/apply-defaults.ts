// Fills in defaults and turns every relative path into an absolute one, resolved against the
// config file's directory (so `credgov collect --config examples/demo/credgov.yaml` works from anywhere).
import { isAbsolute, resolve } from "node:path";
import {
  defaultDirectorySource,
  defaultGithubBaseUrl,
  defaultGraphBaseUrl,
  defaultOutputDir,
  defaultHistoryPath,
  defaultThresholds,
  defaultTimeoutMs,
} from "./defaults.ts";
import type { CredgovConfig, GithubSourceConfig, SourceConfigEntry } from "./types.ts";

type GithubApp = NonNullable<GithubSourceConfig["app"]>;

export function applyDefaults(raw: Record<string, unknown>, file: string, dir: string): CredgovConfig {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const optionalPath = (p: unknown) => (typeof p === "string" ? path(p) : undefined);
  const sources = (raw.sources as Record<string, unknown>[]).map((s): SourceConfigEntry => {
    switch (s.kind) {
      case "ad":
      case "ldap": {
        const tls = (s.tls as { caFile?: string; rejectUnauthorized?: boolean } | undefined) ?? {};
        return {
          ...s,
          kind: s.kind,
          id: s.id as string,
          file: optionalPath(s.file),
          startTLS: (s.startTLS as boolean | undefined) ?? defaultDirectorySource.startTLS,
          tls: {
            caFile: optionalPath(tls.caFile),
            rejectUnauthorized: tls.rejectUnauthorized ?? defaultDirectorySource.tlsRejectUnauthorized,
          },
          pageSize: (s.pageSize as number | undefined) ?? defaultDirectorySource.pageSize,
          timeoutMs: (s.timeoutMs as number | undefined) ?? defaultDirectorySource.timeoutMs,
        };
      }
      case "entra": {
        const certificate = s.certificate as { file: string; passwordEnv?: string } | undefined;
        return {
          ...s,
          kind: "entra",
          id: s.id as string,
          dir: optionalPath(s.dir),
          certificate: certificate ? { ...certificate, file: path(certificate.file) } : undefined,
          federatedTokenFile: optionalPath(s.federatedTokenFile),
          graphBaseUrl: (s.graphBaseUrl as string | undefined) ?? defaultGraphBaseUrl,
          timeoutMs: (s.timeoutMs as number | undefined) ?? defaultTimeoutMs,
        };
      }
      default:
        return {
          ...s,
          kind: "github",
          id: s.id as string,
          dir: optionalPath(s.dir),
          ...(s.app ? { app: { ...(s.app as GithubApp), privateKeyFile: optionalPath((s.app as GithubApp).privateKeyFile) } } : {}),
          baseUrl: (s.baseUrl as string | undefined) ?? defaultGithubBaseUrl,
          timeoutMs: (s.timeoutMs as number | undefined) ?? defaultTimeoutMs,
        };
    }
  });
  const policies = (raw.policies as { dirs?: string[]; bundle?: string; builtin?: boolean; evalTimeout?: string; evalMemory?: number } | undefined) ?? {};
  const exceptions = raw.exceptions as { file: string } | undefined;
  const output = (raw.output as Partial<CredgovConfig["output"]> | undefined) ?? {};
  const history = (raw.history as Partial<CredgovConfig["history"]> | undefined) ?? {};
  const correlation = (raw.correlation as { links?: CredgovConfig["correlation"]["links"] } | undefined) ?? {};
  return {
    file,
    dir,
    sources,
    thresholds: { ...defaultThresholds, ...(raw.thresholds as object | undefined) },
    policies: { dirs: (policies.dirs ?? []).map(path), bundle: optionalPath(policies.bundle), builtin: policies.builtin ?? true, evalTimeout: policies.evalTimeout, evalMemory: policies.evalMemory },
    exceptions: exceptions ? { file: path(exceptions.file) } : undefined,
    output: { ...output, dir: path(output.dir ?? defaultOutputDir) },
    correlation: { links: correlation.links ?? [] },
    history: { ...history, enabled: history.enabled ?? true, path: path(history.path ?? defaultHistoryPath), keepSnapshots: history.keepSnapshots ?? true },
    rotation: raw.rotation as Record<string, unknown> | undefined,
  };
}
