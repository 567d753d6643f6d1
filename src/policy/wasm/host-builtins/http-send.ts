// http.send with OPA's request and response shapes (method, url, headers, body/raw_body,
// timeout, enable_redirect, raise_error; status, status_code, headers, body, raw_body). Off by
// default in credgov (--allow-builtin http.send). The request runs in a worker thread while the
// evaluation waits for it synchronously, because host builtins cannot be asynchronous.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { BuiltinError, obj, typeOf } from "./builtin-error.ts";
import { parseDurationNs } from "./duration.ts";
import type { HttpReply, HttpRequest } from "./http-send-worker.ts";

const NAME = "http.send";
const DEFAULT_TIMEOUT_MS = 5000;

let channel: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

function connection(): NonNullable<typeof channel> {
  if (channel) return channel;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(`./http-send-worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url), // .ts in a checkout, .js when built
    { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  port1.unref();
  channel = { worker, port: port1, signal };
  return channel;
}

function request(x: Record<string, unknown>): HttpRequest {
  const method = x.method;
  const url = x.url;
  if (typeof method !== "string" || method === "") throw new BuiltinError(NAME, "missing required request parameter \"method\"");
  if (typeof url !== "string" || url === "") throw new BuiltinError(NAME, "missing required request parameter \"url\"");
  const headers: Record<string, string> = {};
  if (x.headers !== undefined) {
    for (const [k, v] of Object.entries(obj(NAME, x.headers, 1))) headers[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  let body: string | undefined;
  if (typeof x.raw_body === "string") body = x.raw_body;
  else if (x.body !== undefined && x.body !== null) {
    body = JSON.stringify(x.body);
    headers["Content-Type"] ??= "application/json";
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (typeof x.timeout === "string") timeoutMs = Number(parseDurationNs(NAME, x.timeout) / 1_000_000n);
  else if (typeof x.timeout === "number") timeoutMs = x.timeout / 1e6;
  return { method: method.toUpperCase(), url, headers, body, timeoutMs, redirect: x.enable_redirect === true };
}

function decodeBody(text: string, contentType: string, x: Record<string, unknown>): unknown {
  if (x.force_json_decode === true || contentType.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  return null;
}

export function httpSend(req: unknown): Record<string, unknown> {
  if (typeOf(req) !== "object") throw new BuiltinError(NAME, `operand 1 must be object but got ${typeOf(req)}`);
  const x = req as Record<string, unknown>;
  const r = request(x);
  const c = connection();
  Atomics.store(c.signal, 0, 0);
  c.port.postMessage(r);
  Atomics.wait(c.signal, 0, 0, r.timeoutMs + 1000);
  const reply = receiveMessageOnPort(c.port)?.message as HttpReply | undefined;
  const failure = !reply ? "request timed out" : !reply.ok ? reply.error : undefined;
  if (failure !== undefined || !reply || !reply.ok) {
    // raise_error: false turns a transport error into a response with status_code 0.
    if (x.raise_error === false) return { status_code: 0, error: { code: "eval_http_send_network_error", message: failure } };
    throw new BuiltinError(NAME, `${r.method} ${r.url}: ${failure}`);
  }
  const contentType = reply.headers["content-type"]?.[0] ?? "";
  return {
    status: `${reply.status} ${reply.statusText}`.trim(),
    status_code: reply.status,
    headers: reply.headers,
    raw_body: reply.body,
    body: decodeBody(reply.body, contentType, x),
  };
}
