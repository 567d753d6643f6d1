// providers.aws.sign_req: AWS Signature Version 4 over a request object, after OPA's
// topdown/providers.go and internal/providers/aws signing: request headers are signed as given,
// the AWS headers (host, x-amz-date, x-amz-content-sha256 for s3/glacier, x-amz-security-token)
// are added, and the result is the request with the signed headers.
import { createHash, createHmac } from "node:crypto";
import { BuiltinError, num, obj, typeOf } from "./builtin-error.ts";
import { goJSON } from "./go-json.ts";

const NAME = "providers.aws.sign_req";
const REQUIRED_CONFIG = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];
const IGNORED_HEADERS = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
const setText = (keys: string[]) => `{${keys.map((k) => JSON.stringify(k)).join(", ")}}`;

function two(n: number) {
  return String(n).padStart(2, "0");
}

export function signRequest(request: unknown, config: unknown, timeNs: unknown): Record<string, unknown> {
  const req = obj(NAME, request, 1);
  const cfg = obj(NAME, config, 2);
  const missingCfg = REQUIRED_CONFIG.filter((k) => !(k in cfg));
  if (missingCfg.length) throw new BuiltinError(NAME, `operand 2 missing required AWS config parameters(s): ${setText(missingCfg)}`);
  const badCfg = REQUIRED_CONFIG.filter((k) => typeof cfg[k] !== "string");
  if (badCfg.length) throw new BuiltinError(NAME, `operand 2 invalid values for required AWS config parameters(s): ${setText(badCfg)}`);
  const ns = num(NAME, timeNs, 3);
  if (!Number.isInteger(ns) || ns < 0) throw new BuiltinError(NAME, "operand 3 could not convert time_ns value into a unix timestamp");
  const missingReq = ["method", "url"].filter((k) => !(k in req));
  if (missingReq.length) throw new BuiltinError(NAME, `operand 1 missing required request parameters(s): ${setText(missingReq)}`);
  const badReq = ["method", "url"].filter((k) => typeof req[k] !== "string");
  if (badReq.length) throw new BuiltinError(NAME, `operand 1 invalid values for required request parameters(s): ${setText(badReq)}`);
  const headers = req.headers === undefined ? {} : req.headers;
  if (typeOf(headers) !== "object") throw new BuiltinError(NAME, `operand 1 headers must be object but got ${typeOf(headers)}`);
  let disablePayloadSigning = false;
  if ("disable_payload_signing" in cfg) {
    if (typeof cfg.disable_payload_signing !== "boolean") throw new BuiltinError(NAME, "operand 2 invalid value for 'disable_payload_signing' in AWS config");
    disablePayloadSigning = cfg.disable_payload_signing;
  }

  let url: URL;
  try {
    url = new URL(req.url as string);
  } catch {
    throw new BuiltinError(NAME, `invalid url ${String(req.url)}`);
  }
  const body = typeof req.raw_body === "string" ? req.raw_body : "body" in req ? goJSON(req.body) : "";
  const service = cfg.aws_service as string;
  const region = cfg.aws_region as string;
  const payloadHash = disablePayloadSigning ? "UNSIGNED-PAYLOAD" : sha256(Buffer.from(body, "utf8"));

  const d = new Date(Math.floor(ns / 1e6));
  const date = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  const stamp = `${date}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;

  const awsHeaders: Record<string, string> = { host: url.host, "x-amz-date": stamp };
  if (service === "s3" || service === "glacier") awsHeaders["x-amz-content-sha256"] = payloadHash;
  if (typeof cfg.aws_session_token === "string" && cfg.aws_session_token !== "") awsHeaders["x-amz-security-token"] = cfg.aws_session_token;

  const requestHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) requestHeaders[k] = typeof v === "string" ? v : "";
  const toSign: Record<string, string> = { ...awsHeaders };
  for (const [k, v] of Object.entries(requestHeaders)) if (!IGNORED_HEADERS.has(k.toLowerCase())) toSign[k.toLowerCase()] = v;
  const names = Object.keys(toSign).sort();
  const signedHeaders = names.join(";");
  const path = url.pathname === "/" && !/^[a-z]+:\/\/[^/]+\//i.test(req.url as string) ? "" : url.pathname;
  const canonical = [
    req.method as string,
    path,
    url.search.replace(/^\?/, ""),
    ...names.map((n) => `${n}:${toSign[n]}`),
    "",
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256(canonical)}`;
  let key = hmac(`AWS4${cfg.aws_secret_access_key as string}`, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");

  const outHeaders: Record<string, string> = { ...requestHeaders };
  outHeaders.Authorization = `AWS4-HMAC-SHA256 Credential=${cfg.aws_access_key as string}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  Object.assign(outHeaders, awsHeaders);
  return { ...req, headers: outHeaders };
}

export const awsBuiltins = { "providers.aws.sign_req": signRequest };
