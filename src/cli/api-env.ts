import {
  createApiClient,
  credentialsFromEnv,
  type ApiClient,
  type ApiClientOptions,
  type ApiProduct,
  type ApiProvider,
  type Credentials,
} from "../api/index.js";
import { CellgateError, type Logger } from "../core/index.js";

export interface ApiFlags {
  provider?: string;
  product?: string;
  baseUrl?: string;
}

const PROVIDERS: ApiProvider[] = ["twilio", "kore"];
const PRODUCTS: ApiProduct[] = ["programmable-wireless", "super-sim"];

/**
 * The API client the CLI uses: flags, else CELLGATE_API_PROVIDER / CELLGATE_SIM_PRODUCT /
 * CELLGATE_API_BASE_URL (the config file's keys in environment form), credentials from the
 * systemd credentials directory or the conventional variables.
 */
export function apiClientFromEnv(
  f: ApiFlags,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  extra: Pick<ApiClientOptions, "limiter" | "rateLimitRetries"> = {},
): { client: ApiClient; provider: ApiProvider; product: ApiProduct; baseUrl: string; credentials: Credentials } {
  const provider = pick("provider", f.provider ?? env.CELLGATE_API_PROVIDER, PROVIDERS, "twilio", "CELLGATE_API_PROVIDER");
  const product = pick(
    "product",
    f.product ?? env.CELLGATE_SIM_PRODUCT,
    PRODUCTS,
    "programmable-wireless",
    "CELLGATE_SIM_PRODUCT",
  );
  const baseUrl = f.baseUrl ?? (env.CELLGATE_API_BASE_URL || undefined);
  const credentials = credentialsFromEnv(provider, env);
  const client = createApiClient({ provider, product, credentials, log, ...(baseUrl ? { baseUrl } : {}), ...extra });
  return { client, provider, product, baseUrl: client.http.baseUrl, credentials };
}

function pick<T extends string>(what: string, value: string | undefined, allowed: readonly T[], dflt: T, envName: string): T {
  if (value === undefined || value === "") return dflt;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CellgateError(
      "CG_ERR_API_CONFIG",
      `${what} must be ${allowed.join(" or ")} (--${what} or ${envName}), got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
