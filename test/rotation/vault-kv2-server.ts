// A local HTTP server that answers like HashiCorp Vault's KV version 2 secrets engine, following
// its API documentation (developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2): data and
// metadata endpoints, versions, check-and-set on write, custom_metadata, X-Vault-Token and
// X-Vault-Namespace, `{"errors": [...]}` bodies, 403 for a bad token, 404 for unknown paths or
// mounts. Faults (5xx, 403, or a refusal that echoes the request body and token, as a careless
// server or proxy may) can be queued per request; no Vault server can be installed here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface Version {
  data: Record<string, unknown>;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

interface Secret {
  versions: Map<number, Version>;
  current_version: number;
  custom_metadata: Record<string, string> | null;
  created_time: string;
  updated_time: string;
}

export interface VaultFixture {
  address: string;
  token: string;
  /** Every request as "METHOD /path" with its namespace header. */
  requests: Array<{ method: string; path: string; namespace: string | undefined }>;
  /** The next `count` requests matching `method path-prefix` answer `status` instead. */
  fail(method: string, pathPrefix: string, status: number, count?: number): void;
  /**
   * The next `count` requests matching answer `status` with the raw request body (its first
   * `quoteLength` characters, when given, as servers that cut what they quote) and headers (the
   * token among them) in `errors`.
   */
  echo(method: string, pathPrefix: string, status: number, count?: number, quoteLength?: number): void;
  /** Runs once before the next data write (e.g. another writer bumping the version). */
  beforeNextWrite(action: () => void): void;
  /** Writes a version as another client would (no cas). */
  writeDirect(mount: string, path: string, data: Record<string, unknown>): number;
  secret(mount: string, path: string): Secret | undefined;
  close(): Promise<void>;
}

export async function startVaultFixture(options: { token: string; mounts: string[]; namespace?: string }): Promise<VaultFixture> {
  const store = new Map<string, Secret>();
  const requests: VaultFixture["requests"] = [];
  const faults: Array<{ method: string; prefix: string; status: number; count: number; echo?: boolean; quoteLength?: number }> = [];
  let beforeWrite: (() => void) | undefined;
  const key = (ns: string | undefined, mount: string, path: string) => `${ns ?? ""}|${mount}|${path}`;

  function write(ns: string | undefined, mount: string, path: string, data: Record<string, unknown>): number {
    const now = new Date().toISOString();
    const secret = store.get(key(ns, mount, path)) ?? { versions: new Map(), current_version: 0, custom_metadata: null, created_time: now, updated_time: now };
    secret.current_version += 1;
    secret.versions.set(secret.current_version, { data, created_time: now, deletion_time: "", destroyed: false });
    secret.updated_time = now;
    store.set(key(ns, mount, path), secret);
    return secret.current_version;
  }

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://vault");
    const namespace = req.headers["x-vault-namespace"] as string | undefined;
    requests.push({ method: req.method ?? "", path: url.pathname + url.search, namespace });
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { "Content-Type": "application/json" });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const fault = faults.find((f) => f.method === req.method && url.pathname.startsWith(f.prefix) && f.count > 0);
    if (fault) {
      fault.count--;
      if (fault.echo) return send(fault.status, { errors: [`invalid request: ${(await readRaw(req)).slice(0, fault.quoteLength)}`, `headers: ${JSON.stringify(req.headers)}`] });
      return send(fault.status, { errors: fault.status === 403 ? ["permission denied"] : ["internal error"] });
    }
    if (req.headers["x-vault-token"] !== options.token) return send(403, { errors: ["permission denied"] });
    if (options.namespace !== undefined && namespace !== options.namespace) return send(403, { errors: ["permission denied"] });
    const match = /^\/v1\/([^/]+)\/(data|metadata)\/(.+)$/.exec(url.pathname);
    if (!match || !options.mounts.includes(match[1]!)) return send(404, { errors: [`no handler for route "${url.pathname.slice(4)}". route entry not found.`] });
    const [, mount, area, rawPath] = match as unknown as [string, string, string, string];
    const path = decodeURIComponent(rawPath);
    const body = await readBody(req);
    const secret = store.get(key(namespace, mount, path));

    if (area === "data" && req.method === "POST") {
      const request = body as { options?: { cas?: number }; data?: Record<string, unknown> } | undefined;
      if (!request?.data || typeof request.data !== "object") return send(400, { errors: ["no data provided"] });
      beforeWrite?.();
      beforeWrite = undefined;
      const latest = store.get(key(namespace, mount, path));
      const cas = request.options?.cas;
      if (cas !== undefined && cas !== (latest?.current_version ?? 0)) return send(400, { errors: ["check-and-set parameter did not match the current version"] });
      const version = write(namespace, mount, path, request.data);
      const stored = store.get(key(namespace, mount, path))!;
      return send(200, { request_id: "fixture", lease_id: "", renewable: false, lease_duration: 0, data: { created_time: stored.versions.get(version)!.created_time, custom_metadata: stored.custom_metadata, deletion_time: "", destroyed: false, version }, wrap_info: null, warnings: null, auth: null });
    }
    if (area === "data" && req.method === "GET") {
      if (!secret) return send(404, { errors: [] });
      const version = Number(url.searchParams.get("version") ?? secret.current_version) || secret.current_version;
      const found = secret.versions.get(version);
      if (!found) return send(404, { errors: [] });
      const metadata = { created_time: found.created_time, custom_metadata: secret.custom_metadata, deletion_time: found.deletion_time, destroyed: found.destroyed, version };
      return send(200, { request_id: "fixture", data: { data: found.destroyed ? null : found.data, metadata } });
    }
    if (area === "metadata" && req.method === "GET") {
      if (!secret) return send(404, { errors: [] });
      const versions = Object.fromEntries([...secret.versions].map(([n, v]) => [String(n), { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed }]));
      return send(200, {
        request_id: "fixture",
        data: { cas_required: false, created_time: secret.created_time, current_version: secret.current_version, custom_metadata: secret.custom_metadata, delete_version_after: "0s", max_versions: 0, oldest_version: 1, updated_time: secret.updated_time, versions },
      });
    }
    if (area === "metadata" && req.method === "POST") {
      const request = (body ?? {}) as { custom_metadata?: Record<string, string> };
      const now = new Date().toISOString();
      const target = secret ?? { versions: new Map(), current_version: 0, custom_metadata: null, created_time: now, updated_time: now };
      if (request.custom_metadata !== undefined) target.custom_metadata = request.custom_metadata;
      target.updated_time = now;
      store.set(key(namespace, mount, path), target);
      return send(204);
    }
    return send(405, { errors: ["unsupported operation"] });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    token: options.token,
    requests,
    fail: (method, prefix, status, count = 1) => faults.push({ method, prefix, status, count }),
    echo: (method, prefix, status, count = 1, quoteLength) => faults.push({ method, prefix, status, count, echo: true, quoteLength }),
    beforeNextWrite: (action) => void (beforeWrite = action),
    writeDirect: (mount, path, data) => write(options.namespace, mount, path, data),
    secret: (mount, path) => store.get(key(options.namespace, mount, path)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
