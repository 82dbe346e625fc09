import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dispatcher } from "undici";
import { CellgateError, type Clock, type Logger } from "../core/index.js";
import { basicAuth, oauthClientCredentials, type Auth } from "./auth.js";
import { SuperSimCarrier, WirelessCarrier, type ApiProduct, type CarrierApi } from "./carrier.js";
import { ApiHttp } from "./http.js";
import type { ConcurrencyLimiter } from "./limiter.js";
import { MonitorResources } from "./resources/monitor.js";
import { SuperSimResources } from "./resources/supersim.js";
import { WirelessResources } from "./resources/wireless.js";

export type ApiProvider = "twilio" | "kore";

export interface Credentials {
  /** Twilio: API Key SID + secret (preferred) or Account SID + Auth Token. */
  username?: string;
  password?: string;
  /** KORE: OAuth2 client credentials. */
  clientId?: string;
  clientSecret?: string;
}

export interface ApiClientOptions {
  provider: ApiProvider;
  product: ApiProduct;
  /** Overrides the provider's default (a simulator, a proxy). */
  baseUrl?: string;
  tokenUrl?: string;
  credentials: Credentials;
  dispatcher?: Dispatcher;
  clock?: Clock;
  log?: Logger;
  retries?: number;
  rateLimitRetries?: number;
  backoffMs?: number;
  /** The account's concurrency limit, shared by every request of this client. */
  limiter?: ConcurrencyLimiter;
  /** Per-request timeouts, ms (defaults: connect 10 s, headers 15 s, body 15 s). */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Every answer's HTTP status, or "error" when none came (metrics). */
  onResponse?: (status: number | "error") => void;
}

const BASE_URLS: Record<ApiProvider, Record<ApiProduct, string>> = {
  twilio: { "programmable-wireless": "https://wireless.twilio.com", "super-sim": "https://supersim.twilio.com" },
  kore: {
    "programmable-wireless": "https://programmable-wireless.api.korewireless.com",
    "super-sim": "https://supersim.api.korewireless.com",
  },
};
const MONITOR_URL = "https://monitor.twilio.com";
const KORE_TOKEN_URL = "https://api.korewireless.com/api-services/v1/auth/token";

export interface ApiClient {
  readonly http: ApiHttp;
  readonly carrier: CarrierApi;
  /** Set for Programmable Wireless. */
  readonly wireless?: WirelessResources;
  /** Set for Super SIM. */
  readonly supersim?: SuperSimResources;
  close(): Promise<void>;
}

/** The Wireless (or Super SIM) API for one provider and product, with its authentication. */
export function createApiClient(o: ApiClientOptions): ApiClient {
  const baseUrl = o.baseUrl ?? BASE_URLS[o.provider][o.product];
  let auth: Auth;
  if (o.provider === "kore") {
    auth = oauthClientCredentials({
      tokenUrl: o.tokenUrl ?? (o.baseUrl ? `${o.baseUrl.replace(/\/+$/, "")}/api-services/v1/auth/token` : KORE_TOKEN_URL),
      clientId: o.credentials.clientId ?? "",
      clientSecret: o.credentials.clientSecret ?? "",
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
      ...(o.clock ? { clock: o.clock } : {}),
    });
  } else {
    auth = basicAuth(o.credentials.username ?? "", o.credentials.password ?? "");
  }
  const http = new ApiHttp({
    baseUrl,
    auth,
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.onResponse ? { onResponse: o.onResponse } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.rateLimitRetries !== undefined ? { rateLimitRetries: o.rateLimitRetries } : {}),
    ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
    ...(o.limiter ? { limiter: o.limiter } : {}),
    ...(o.timeouts?.connectMs !== undefined ? { connectTimeoutMs: o.timeouts.connectMs } : {}),
    ...(o.timeouts?.headersMs !== undefined ? { headersTimeoutMs: o.timeouts.headersMs } : {}),
    ...(o.timeouts?.bodyMs !== undefined ? { bodyTimeoutMs: o.timeouts.bodyMs } : {}),
  });
  if (o.product === "super-sim") {
    const supersim = new SuperSimResources(http);
    // Twilio's alerts live on another host; a base URL given (a simulator, a proxy) serves them too. KORE has none.
    const monitor = o.provider === "twilio" ? new MonitorResources(http, o.baseUrl ?? MONITOR_URL) : undefined;
    return { http, supersim, carrier: new SuperSimCarrier(supersim, o.log, monitor), close: () => http.close() };
  }
  const wireless = new WirelessResources(http);
  return { http, wireless, carrier: new WirelessCarrier(wireless, o.log), close: () => http.close() };
}

/** One credential: $CREDENTIALS_DIRECTORY/<NAME> (systemd LoadCredential=), else the variable NAME. */
export function readCredential(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CREDENTIALS_DIRECTORY) {
    try {
      return readFileSync(join(env.CREDENTIALS_DIRECTORY, name), "utf8").trim();
    } catch {
      // not provided that way
    }
  }
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

/**
 * Credentials from the systemd credentials directory ($CREDENTIALS_DIRECTORY/<NAME>) or the
 * conventional environment variables; never from the YAML.
 */
export function credentialsFromEnv(provider: ApiProvider, env: NodeJS.ProcessEnv = process.env): Credentials {
  const read = (name: string) => readCredential(name, env);
  if (provider === "kore") {
    const clientId = read("KORE_CLIENT_ID");
    const clientSecret = read("KORE_CLIENT_SECRET");
    if (!clientId || !clientSecret)
      throw new CellgateError(
        "CG_ERR_API_CONFIG",
        "KORE needs KORE_CLIENT_ID and KORE_CLIENT_SECRET (environment or systemd credentials)",
      );
    return { clientId, clientSecret };
  }
  const key = read("TWILIO_API_KEY");
  const secret = read("TWILIO_API_SECRET");
  if (key && secret) return { username: key, password: secret };
  const sid = read("TWILIO_ACCOUNT_SID");
  const token = read("TWILIO_AUTH_TOKEN");
  if (sid && token) return { username: sid, password: token };
  throw new CellgateError(
    "CG_ERR_API_CONFIG",
    "Twilio needs TWILIO_API_KEY + TWILIO_API_SECRET, or TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (environment or systemd credentials)",
  );
}
