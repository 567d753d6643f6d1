// HashiCorp Vault / OpenBao KV version 2 over HTTP (Node's fetch). Each rotation writes a new
// version with check-and-set (cas = the version we last saw, so a concurrent writer is detected,
// never overwritten); which version is pending, current and previous is kept in the secret's
// custom metadata (credgov-pending / credgov-current / credgov-previous), because KV's "latest"
// version is written before the directory accepted it. Consumers read the version named by
// credgov-current. API: /v1/{mount}/data/{path}, /v1/{mount}/metadata/{path}; X-Vault-Token,
// X-Vault-Namespace. 5xx and 429 are retried with backoff; 403 and cas mismatches are not hidden.
import { serverText } from "../../secret-redaction.ts";
import { SinkError, type PendingMetadata, type SecretSink, type SinkPointer, type SinkVersionInfo, type StoredSecret } from "../sink.ts";

export interface VaultKv2Options {
  address: string;
  token: string;
  namespace?: string;
  mount: string;
  prefix: string;
  timeoutMs: number;
  /** Attempts for 5xx / 429 / network failures (default 3). */
  attempts?: number;
}

interface Metadata {
  current_version: number;
  versions: Record<string, { created_time: string; deletion_time: string; destroyed: boolean }>;
  custom_metadata: Record<string, string> | null;
}

const POINTER = { pending: "credgov-pending", current: "credgov-current", previous: "credgov-previous" } as const;

export class VaultKv2Sink implements SecretSink {
  readonly kind = "vault-kv2" as const;
  private readonly options: VaultKv2Options;

  constructor(options: VaultKv2Options) {
    this.options = options;
  }

  async putPending(location: string, secret: string, metadata: PendingMetadata): Promise<number> {
    // A concurrent writer between our read and our write makes the cas fail: read again, at most twice.
    for (let attempt = 1; ; attempt++) {
      const before = await this.readMetadata(location);
      const cas = before?.current_version ?? 0;
      const response = await this.request(location, "POST", "data", { options: { cas }, data: { value: secret } }, "put pending");
      if (response.status === 400 && isCasMismatch(response.body)) {
        if (attempt < 3) continue;
        throw new SinkError(location, "put pending", `check-and-set failed: version ${cas} is no longer the latest (another writer changed the secret)`, { code: "cas-mismatch" });
      }
      // A server may echo the body it refused: the secret must not reach the error.
      this.expectOk(response, location, "put pending", [secret]);
      const version = (response.body as { data?: { version?: number } }).data?.version;
      if (typeof version !== "number") throw new SinkError(location, "put pending", "the server's answer has no data.version");
      const custom = { ...(before?.custom_metadata ?? {}), [POINTER.pending]: String(version), "credgov-plan": metadata.planDigest, "credgov-item": metadata.item, "credgov-fingerprint": metadata.fingerprint };
      await this.writeCustomMetadata(location, custom, "put pending");
      return version;
    }
  }

  async promote(location: string, version: number): Promise<void> {
    const metadata = await this.readMetadata(location);
    if (!metadata?.versions[String(version)]) throw new SinkError(location, "promote", `version ${version} does not exist`);
    const custom = { ...(metadata.custom_metadata ?? {}) };
    if (custom[POINTER.current] === String(version)) return;
    if (custom[POINTER.current]) custom[POINTER.previous] = custom[POINTER.current]!;
    else delete custom[POINTER.previous];
    custom[POINTER.current] = String(version);
    if (custom[POINTER.pending] === String(version)) delete custom[POINTER.pending];
    await this.writeCustomMetadata(location, custom, "promote");
  }

  async listVersions(location: string): Promise<SinkVersionInfo[]> {
    const metadata = await this.readMetadata(location);
    if (!metadata) return [];
    const custom = metadata.custom_metadata ?? {};
    return Object.entries(metadata.versions).map(([key, info]) => ({
      version: Number(key),
      createdAt: info.created_time,
      role: custom[POINTER.pending] === key ? "pending" : custom[POINTER.current] === key ? "current" : custom[POINTER.previous] === key ? "previous" : "superseded",
    }));
  }

  async read(location: string, pointer: SinkPointer): Promise<StoredSecret | undefined> {
    const metadata = await this.readMetadata(location);
    const value = metadata?.custom_metadata?.[POINTER[pointer]];
    if (!value) return undefined;
    const version = Number(value);
    const response = await this.request(location, "GET", "data", undefined, `read ${pointer}`, `?version=${version}`);
    this.expectOk(response, location, `read ${pointer}`);
    const secret = (response.body as { data?: { data?: { value?: unknown } } }).data?.data?.value;
    if (typeof secret !== "string") throw new SinkError(location, `read ${pointer}`, `version ${version} has no string "value" (deleted or destroyed?)`);
    return { version, secret };
  }

  private async readMetadata(location: string): Promise<Metadata | undefined> {
    const response = await this.request(location, "GET", "metadata", undefined, "read metadata");
    if (response.status === 404) return undefined;
    this.expectOk(response, location, "read metadata");
    return (response.body as { data: Metadata }).data;
  }

  private async writeCustomMetadata(location: string, custom: Record<string, string>, step: string): Promise<void> {
    const response = await this.request(location, "POST", "metadata", { custom_metadata: custom }, step);
    this.expectOk(response, location, step);
  }

  /** Throws a SinkError for a non-2xx answer; Vault's `errors` are shown without `sent` secrets or the token, bounded. */
  private expectOk(response: { status: number; body: unknown }, location: string, step: string, sent: string[] = []): void {
    if (response.status >= 200 && response.status < 300) return;
    const errors = (response.body as { errors?: unknown } | undefined)?.errors;
    const detail = Array.isArray(errors) && errors.length > 0 ? `: ${serverText(errors.map(String).join("; "), [...sent, this.options.token])}` : "";
    const what = response.status === 403 ? "permission denied (check VAULT_TOKEN's policy for this path)" : response.status === 404 ? "not found (check the mount)" : `HTTP ${response.status}`;
    throw new SinkError(location, step, `Vault ${what}${detail}`, { code: `http-${response.status}`, transient: response.status >= 500 || response.status === 429 });
  }

  private async request(location: string, method: "GET" | "POST", area: "data" | "metadata", body: unknown, step: string, query = ""): Promise<{ status: number; body: unknown }> {
    const path = [this.options.mount, area, this.options.prefix, location].filter((p) => p !== "").map((p) => p.replace(/^\/+|\/+$/g, "")).join("/");
    const url = `${this.options.address.replace(/\/+$/, "")}/v1/${path.split("/").map(encodeURIComponent).join("/")}${query}`;
    const headers: Record<string, string> = { "X-Vault-Token": this.options.token, "X-Vault-Request": "true" };
    if (this.options.namespace) headers["X-Vault-Namespace"] = this.options.namespace;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const attempts = this.options.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.options.timeoutMs) });
        const text = await response.text();
        const parsed = text === "" ? undefined : safeJson(text);
        if ((response.status >= 500 || response.status === 429) && attempt < attempts) {
          await backoff(attempt, response.headers.get("retry-after"));
          continue;
        }
        return { status: response.status, body: parsed };
      } catch (error) {
        lastError = error;
        if (attempt < attempts) await backoff(attempt, null);
      }
    }
    const reason = lastError instanceof Error ? (lastError.name === "TimeoutError" ? `no answer within ${this.options.timeoutMs} ms` : serverText(lastError.message, [this.options.token])) : String(lastError);
    throw new SinkError(location, step, `Vault unreachable at ${this.options.address}: ${reason}`, { code: "unreachable", transient: true });
  }
}

function isCasMismatch(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => /check-and-set/i.test(String(e)));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function backoff(attempt: number, retryAfter: string | null): Promise<void> {
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  const ms = Number.isFinite(seconds) ? Math.min(seconds * 1000, 30_000) : 100 * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
