import { createHmac } from "node:crypto";
import { describeError, type Logger } from "../../core/index.js";

/**
 * X-Twilio-Signature as the API computes it for its callbacks (written here from Twilio's
 * documentation, apart from the operator tool's check, so one cannot pass by sharing the
 * other's mistake): the URL, then each POST parameter name and value in name order, HMAC-SHA1
 * with the account's Auth Token, base64. A GET's parameters are in the URL.
 */
export function signCallback(authToken: string, url: string, params: Record<string, string>): string {
  const keys = Object.keys(params).sort();
  let data = url;
  for (const k of keys) data += `${k}${params[k]}`;
  return createHmac("sha1", authToken).update(data).digest("base64");
}

/** Calls a callback URL as the API does: form parameters, signed; failures are logged, never retried here. */
export function sendCallback(
  authToken: string,
  url: string,
  method: "GET" | "POST",
  params: Record<string, string>,
  log: Logger,
): void {
  const form = new URLSearchParams(params).toString();
  const target = method === "GET" ? `${url}${url.includes("?") ? "&" : "?"}${form}` : url;
  const signature = signCallback(authToken, target, method === "GET" ? {} : params);
  fetch(target, {
    method,
    headers: {
      "x-twilio-signature": signature,
      ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(method === "POST" ? { body: form } : {}),
  })
    .then((r) => void r.body?.cancel())
    .catch((err: unknown) => log.warn({ url, err: describeError(err) }, "callback failed"));
}
