// Webhook hook: POSTs the event as JSON. With a key (secretEnv) the body is signed:
// `X-Credgov-Signature: sha256=<hex HMAC-SHA256 of the exact body>` (the scheme GitHub uses for
// its webhooks, so receivers have code for it). Timeout per attempt; 5xx, 429 and network
// failures are retried with exponential backoff; 4xx is final.
import { createHmac } from "node:crypto";
import type { RotationEvent } from "../events.ts";

export interface WebhookOptions {
  url: string;
  /** HMAC key (from the environment variable the config names). */
  key?: string;
  timeoutMs: number;
  retries: number;
  /** First backoff in ms (doubles each retry). */
  backoffMs?: number;
}

export async function postWebhook(options: WebhookOptions, event: RotationEvent): Promise<void> {
  const body = JSON.stringify(event);
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "credgov-rotation-hook", "X-Credgov-Event": event.type };
  if (options.key) headers["X-Credgov-Signature"] = `sha256=${createHmac("sha256", options.key).update(body).digest("hex")}`;
  let failure = "";
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, (options.backoffMs ?? 500) * 2 ** (attempt - 1)));
    try {
      const response = await fetch(options.url, { method: "POST", headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      failure = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      failure = (error as Error).name === "TimeoutError" ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
    }
  }
  throw new Error(`webhook ${hostOf(options.url)}: ${failure}`);
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid url)";
  }
}
