import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * X-Twilio-Signature, as Twilio documents it (twilio.com/docs/usage/security): the full URL
 * Twilio called (scheme, host, path and query), then every POST parameter sorted by name, each
 * name followed by its value with no separators (a repeated name: its values sorted), HMAC-SHA1
 * with the account's Auth Token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...params].sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join("");
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/**
 * Whether a callback carries a valid signature (a missing one is not). Twilio's libraries also
 * accept the URL with its default port added or removed (proxies do both), and so does this.
 */
export function validTwilioSignature(
  authToken: string,
  header: string | undefined,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): boolean {
  if (header === undefined || header === "") return false;
  const got = Buffer.from(header, "utf8");
  return urlVariants(url).some((u) => {
    const want = Buffer.from(twilioSignature(authToken, u, params), "utf8");
    return want.length === got.length && timingSafeEqual(want, got);
  });
}

function urlVariants(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  const dflt = u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : null;
  if (dflt === null) return [url];
  const path = `${u.pathname}${u.search}`;
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ""}@` : "";
  return [
    ...new Set([
      url,
      `${u.protocol}//${auth}${u.hostname}${path}`,
      `${u.protocol}//${auth}${u.hostname}:${u.port || dflt}${path}`,
    ]),
  ];
}
