// Rotation hooks against real endpoints: a local HTTP server for the webhook (HMAC-SHA256
// signature over the exact body, retries with backoff on 5xx, none on 4xx, timeout) and real
// child processes for exec (argv without a shell, the event as JSON on stdin, exit status).
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RotationEvent } from "../../src/rotation/events.ts";
import { runExecHook } from "../../src/rotation/hooks/exec.ts";
import { postWebhook } from "../../src/rotation/hooks/webhook.ts";

const event: RotationEvent = { type: "item.committed", planDigest: "f".repeat(64), item: "0001", account: "svc-sql", source: "corp-ad", credential: "corp-ad:x:password", sinkVersion: 2, at: "2026-12-05T10:00:00.000Z" };

let server: Server;
let url: string;
const received: Array<{ path: string; body: string; headers: Record<string, string | string[] | undefined> }> = [];
const plan: Record<string, number[]> = {}; // path -> statuses to answer in turn

describe("webhook hook", () => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body, headers: req.headers });
        const status = plan[req.url ?? ""]?.shift() ?? 200;
        if (status === 0) return; // never answer (timeout)
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  it("POSTs the event as JSON with an HMAC-SHA256 signature of the exact body", async () => {
    await postWebhook({ url: `${url}/signed`, key: "hook-key", timeoutMs: 2000, retries: 0 }, event);
    const hit = received.find((r) => r.path === "/signed")!;
    expect(JSON.parse(hit.body)).toEqual(event);
    expect(hit.headers["content-type"]).toBe("application/json");
    expect(hit.headers["x-credgov-event"]).toBe("item.committed");
    expect(hit.headers["x-credgov-signature"]).toBe(`sha256=${createHmac("sha256", "hook-key").update(hit.body).digest("hex")}`);
    await postWebhook({ url: `${url}/unsigned`, timeoutMs: 2000, retries: 0 }, event);
    expect(received.find((r) => r.path === "/unsigned")!.headers["x-credgov-signature"]).toBeUndefined();
  });

  it("retries 5xx with backoff until it succeeds; gives up on 4xx at once", async () => {
    plan["/flaky"] = [503, 502];
    await postWebhook({ url: `${url}/flaky`, timeoutMs: 2000, retries: 3, backoffMs: 10 }, event);
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    plan["/bad"] = [400, 200];
    await expect(postWebhook({ url: `${url}/bad`, timeoutMs: 2000, retries: 3, backoffMs: 10 }, event)).rejects.toThrow(/\/bad: HTTP 400/);
    expect(received.filter((r) => r.path === "/bad")).toHaveLength(1);
    plan["/down"] = [500, 500, 500];
    await expect(postWebhook({ url: `${url}/down`, timeoutMs: 2000, retries: 2, backoffMs: 10 }, event)).rejects.toThrow(/HTTP 500/);
  });

  it("times out a silent receiver and says so", async () => {
    plan["/silent"] = [0, 0];
    await expect(postWebhook({ url: `${url}/silent`, timeoutMs: 200, retries: 1, backoffMs: 10 }, event)).rejects.toThrow(/no answer within 200 ms/);
  });
});

describe("exec hook", () => {
  const dir = mkdtempSync(join(tmpdir(), "credgov-hook-"));

  it("runs argv without a shell, hands the event as JSON on stdin, and passes no secret environment", async () => {
    const out = join(dir, "event.json");
    const marker = join(dir, "injected");
    const script = "require('fs').writeFileSync(process.argv[1], require('fs').readFileSync(0, 'utf8') + process.argv[2] + JSON.stringify(Object.keys(process.env)))";
    await runExecHook([process.execPath, "-e", script, out, `; touch ${marker} $(touch ${marker})`], 5000, event, { ...process.env, VAULT_TOKEN: "s.secret", AGE_IDENTITY: "AGE-SECRET-KEY-1X" });
    const written = readFileSync(out, "utf8");
    expect(JSON.parse(written.split("\n")[0]!)).toEqual(event);
    expect(written).toContain(`$(touch ${marker})`); // passed through literally
    expect(existsSync(marker)).toBe(false);
    expect(written).not.toContain("VAULT_TOKEN");
    expect(written).not.toContain("AGE_IDENTITY");
  });

  it("fails on a non-zero exit (with the hook's first stderr line), a missing program, and the timeout", async () => {
    await expect(runExecHook([process.execPath, "-e", "console.error('ticket queue closed'); process.exit(3)"], 5000, event, process.env)).rejects.toThrow(/exit 3: ticket queue closed/);
    await expect(runExecHook([join(dir, "no-such-program")], 5000, event, process.env)).rejects.toThrow(/ENOENT/);
    await expect(runExecHook([process.execPath, "-e", "setTimeout(() => {}, 10000)"], 300, event, process.env)).rejects.toThrow(/timeout 300 ms/);
  });
});
