import { request, type Dispatcher } from "undici";
import { CellgateError, systemClock, type Clock } from "../core/index.js";

/** Supplies the Authorization header; `invalidate` after a 401 lets a token scheme fetch anew. */
export interface Auth {
  readonly scheme: "basic" | "oauth2";
  /** Which credential this is, for error messages (never the secret). */
  readonly describe: string;
  header(signal?: AbortSignal): Promise<string>;
  invalidate(): void;
}

/** Twilio HTTP Basic: Account SID + Auth Token, or API Key SID + secret. */
export function basicAuth(username: string, password: string): Auth {
  if (!username || !password)
    throw new CellgateError("CG_ERR_API_CONFIG", "HTTP Basic needs a username (Account SID or API Key SID) and a password");
  const value = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const kind = username.startsWith("SK") ? "API Key" : "Account SID / Auth Token";
  return {
    scheme: "basic",
    describe: `${kind} ${username.slice(0, 6)}…`,
    header: () => Promise.resolve(value),
    invalidate: () => {},
  };
}

export interface OAuthOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher?: Dispatcher;
  clock?: Clock;
  /** Renew this long before the token expires. */
  earlyMs?: number;
}

/** One token from the endpoint: `{ token, ttlMs }`, or a coded error naming what went wrong. */
async function fetchToken(o: OAuthOptions, signal?: AbortSignal): Promise<{ token: string; ttlMs: number }> {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: o.clientId,
    client_secret: o.clientSecret,
  }).toString();
  let res: Dispatcher.ResponseData;
  try {
    res = await request(o.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throw new CellgateError(
      "CG_ERR_API_UNAVAILABLE",
      `OAuth token endpoint ${o.tokenUrl} unreachable: ${(err as Error).message}`,
      { url: o.tokenUrl },
      { cause: err },
    );
  }
  const text = await res.body.text();
  if (res.statusCode === 400 || res.statusCode === 401 || res.statusCode === 403) {
    throw new CellgateError(
      "CG_ERR_API_AUTH",
      `the OAuth token endpoint refused client ${o.clientId.slice(0, 6)}… (HTTP ${res.statusCode}): ` +
        "check KORE_CLIENT_ID / KORE_CLIENT_SECRET",
      { status: res.statusCode, credential: "oauth2 client" },
    );
  }
  let json: { access_token?: unknown; expires_in?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = {};
  }
  if (res.statusCode >= 300 || typeof json.access_token !== "string") {
    throw new CellgateError(
      "CG_ERR_API_RESPONSE",
      `the OAuth token endpoint answered HTTP ${res.statusCode} without an access_token`,
      { status: res.statusCode },
    );
  }
  return { token: json.access_token, ttlMs: Number(json.expires_in ?? 3600) * 1000 };
}

/**
 * KORE's OAuth2 client-credentials: a token fetched once, cached until shortly before it
 * expires, fetched again after invalidate() (the client does that once on a 401).
 */
export function oauthClientCredentials(o: OAuthOptions): Auth {
  if (!o.clientId || !o.clientSecret)
    throw new CellgateError(
      "CG_ERR_API_CONFIG",
      "OAuth2 needs a client id and a client secret (KORE_CLIENT_ID, KORE_CLIENT_SECRET)",
    );
  const clock = o.clock ?? systemClock;
  let cached: { token: string; until: number } | undefined;
  let inflight: Promise<string> | undefined;
  const renew = async (signal?: AbortSignal): Promise<string> => {
    const t = await fetchToken(o, signal);
    cached = { token: t.token, until: clock.now() + t.ttlMs - (o.earlyMs ?? 60_000) };
    return t.token;
  };
  return {
    scheme: "oauth2",
    describe: `OAuth2 client ${o.clientId.slice(0, 6)}…`,
    async header(signal) {
      if (cached !== undefined && clock.now() < cached.until) return `Bearer ${cached.token}`;
      inflight ??= renew(signal).finally(() => (inflight = undefined));
      return `Bearer ${await inflight}`;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
