// The Vault / OpenBao KV v2 sink over real HTTP (Node's fetch) against the fixture server that
// follows the KV v2 API: versions written with check-and-set, pending/current/previous in custom
// metadata, namespace header, and the failures: 403, 5xx (retried, then reported), a cas
// mismatch from a concurrent writer (re-read and retried, or reported when it persists).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SinkError } from "../../src/rotation/sink.ts";
import { VaultKv2Sink } from "../../src/rotation/sinks/vault-kv2.ts";
import { startVaultFixture, type VaultFixture } from "./vault-kv2-server.ts";

let vault: VaultFixture;
const meta = { planDigest: "d".repeat(64), item: "0001", fingerprint: "hmac-sha256:00" };

function sink(overrides: Partial<ConstructorParameters<typeof VaultKv2Sink>[0]> = {}): VaultKv2Sink {
  return new VaultKv2Sink({ address: vault.address, token: "s.fixture", namespace: "team-a", mount: "secret", prefix: "credgov", timeoutMs: 2000, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<SinkError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SinkError);
    return error as SinkError;
  }
  throw new Error("expected a SinkError");
}

describe("Vault KV v2 sink", () => {
  beforeAll(async () => {
    vault = await startVaultFixture({ token: "s.fixture", mounts: ["secret"], namespace: "team-a" });
  });
  afterAll(async () => {
    await vault.close();
  });

  it("writes pending with cas, promotes through custom metadata, reads current and previous back", async () => {
    const s = sink();
    const v1 = await s.putPending("corp-ad/svc-sql", "first-Secret!1", meta);
    expect(v1).toBe(1);
    expect(await s.read("corp-ad/svc-sql", "current")).toBeUndefined();
    expect(await s.read("corp-ad/svc-sql", "pending")).toEqual({ version: 1, secret: "first-Secret!1" });
    await s.promote("corp-ad/svc-sql", v1);
    await s.promote("corp-ad/svc-sql", v1); // idempotent (resume may repeat it)
    const v2 = await s.putPending("corp-ad/svc-sql", "second-Secret!2", { ...meta, item: "0002" });
    expect(v2).toBe(2);
    // Until promoted, consumers reading credgov-current still get version 1.
    expect(await s.read("corp-ad/svc-sql", "current")).toEqual({ version: 1, secret: "first-Secret!1" });
    await s.promote("corp-ad/svc-sql", v2);
    expect(await s.read("corp-ad/svc-sql", "current")).toEqual({ version: 2, secret: "second-Secret!2" });
    expect(await s.read("corp-ad/svc-sql", "previous")).toEqual({ version: 1, secret: "first-Secret!1" });
    expect(await s.read("corp-ad/svc-sql", "pending")).toBeUndefined();
    expect(vault.secret("secret", "credgov/corp-ad/svc-sql")!.custom_metadata).toEqual({ "credgov-current": "2", "credgov-previous": "1", "credgov-plan": meta.planDigest, "credgov-item": "0002", "credgov-fingerprint": meta.fingerprint });
    expect(await s.listVersions("corp-ad/svc-sql")).toEqual([
      { version: 1, createdAt: expect.any(String), role: "previous" },
      { version: 2, createdAt: expect.any(String), role: "current" },
    ]);
    const writes = vault.requests.filter((r) => r.method === "POST" && r.path.startsWith("/v1/secret/data/"));
    expect(writes.every((r) => r.namespace === "team-a")).toBe(true);
  });

  it("re-reads and retries when another writer changed the secret between read and write (cas mismatch)", async () => {
    const s = sink();
    await s.putPending("corp-ad/svc-web", "a-Secret!1", meta);
    vault.beforeNextWrite(() => vault.writeDirect("secret", "credgov/corp-ad/svc-web", { value: "someone else" }));
    const version = await s.putPending("corp-ad/svc-web", "b-Secret!2", meta);
    expect(version).toBe(3);
    expect(await s.read("corp-ad/svc-web", "pending")).toEqual({ version: 3, secret: "b-Secret!2" });
  });

  it("reports a cas mismatch that persists, naming the location; never overwrites", async () => {
    const s = sink();
    const writer = () => vault.beforeNextWrite(() => {
      vault.writeDirect("secret", "credgov/corp-ad/contended", { value: "other" });
      // keep contending on the retries too
      queueMicrotask(writer);
    });
    writer();
    const error = await failure(s.putPending("corp-ad/contended", "c-Secret!3", meta));
    expect(error.code).toBe("cas-mismatch");
    expect(error.location).toBe("corp-ad/contended");
    expect(error.message).toContain("check-and-set failed");
    vault.beforeNextWrite(() => undefined);
    const versions = vault.secret("secret", "credgov/corp-ad/contended")!.versions;
    expect([...versions.values()].every((v) => v.data.value === "other")).toBe(true);
  });

  it("403: permission denied, not retried, never echoing the token", async () => {
    const error = await failure(sink({ token: "s.wrong" }).putPending("corp-ad/x", "x-Secret!1", meta));
    expect(error).toMatchObject({ code: "http-403", transient: false, step: "read metadata", location: "corp-ad/x" });
    expect(error.message).toContain("permission denied (check VAULT_TOKEN's policy for this path)");
    expect(error.message).not.toContain("s.wrong");
  });

  it("a refusal that echoes the request never shows the secret it was sent (in any encoding) or the token, and is bounded", async () => {
    // Quote, backslash and '<' make the echoed JSON body hold the secret escaped, not as is.
    const secret = 'echo"Secret\\<1>-' + "x".repeat(24);
    vault.echo("POST", "/v1/secret/data/credgov/corp-ad/echo", 400);
    const error = await failure(sink().putPending("corp-ad/echo", secret, meta));
    expect(error).toMatchObject({ code: "http-400", step: "put pending", location: "corp-ad/echo" });
    expect(error.message).toContain("invalid request:");
    expect(error.message).toContain("[redacted]");
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), "x".repeat(24), "s.fixture"]) expect(error.message).not.toContain(form);
    expect(error.message.length).toBeLessThanOrEqual(400);
  });

  it("a refusal that quotes the request cut short shows no part of the secret", async () => {
    const secret = "cut-Secret!1-" + "0123456789abcdefghij";
    const before = JSON.stringify({ options: { cas: 0 }, data: { value: "" } }).length - 3;
    // The quote stops 12 characters into the secret.
    vault.echo("POST", "/v1/secret/data/credgov/corp-ad/cut", 400, 1, before + 12);
    const error = await failure(sink().putPending("corp-ad/cut", secret, meta));
    expect(error.message).toContain('invalid request: {"options":{"cas":0},"data":{"value":"[redacted]');
    expect(error.message).not.toContain(secret.slice(0, 8));
  });

  it("retries 5xx with backoff and succeeds; reports a persistent 5xx as transient", async () => {
    const s = sink();
    vault.fail("GET", "/v1/secret/metadata/credgov/corp-ad/flaky", 503, 2);
    expect(await s.putPending("corp-ad/flaky", "f-Secret!1", meta)).toBe(1);
    vault.fail("POST", "/v1/secret/data/credgov/corp-ad/down", 500, 3);
    const error = await failure(s.putPending("corp-ad/down", "d-Secret!1", meta));
    expect(error).toMatchObject({ code: "http-500", transient: true });
    expect(vault.secret("secret", "credgov/corp-ad/down")).toBeUndefined();
  });

  it("an unknown mount is a 404 naming the mount problem; an unreachable server says so", async () => {
    const error = await failure(sink({ mount: "kv-missing" }).putPending("a/b", "x-Secret!1", meta));
    expect(error.message).toContain("not found (check the mount)");
    const down = await failure(sink({ address: "http://127.0.0.1:1", attempts: 1 }).putPending("a/b", "x-Secret!1", meta));
    expect(down).toMatchObject({ code: "unreachable", transient: true });
  });
});
