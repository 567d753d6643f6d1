// Worker thread of http.send: performs the request with fetch and posts the reply, then wakes
// the evaluating thread, which waits synchronously (host builtins cannot be asynchronous).
import { workerData, type MessagePort } from "node:worker_threads";

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  redirect: boolean;
}

export type HttpReply =
  | { ok: true; status: number; statusText: string; headers: Record<string, string[]>; body: string }
  | { ok: false; error: string };

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

port.on("message", async (req: HttpRequest) => {
  let reply: HttpReply;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: req.redirect ? "follow" : "manual",
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const headers: Record<string, string[]> = {};
    res.headers.forEach((value, name) => {
      (headers[name.toLowerCase()] ??= []).push(value);
    });
    reply = { ok: true, status: res.status, statusText: res.statusText, headers, body: await res.text() };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
