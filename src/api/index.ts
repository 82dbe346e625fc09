export {
  createApiClient,
  credentialsFromEnv,
  readCredential,
  type ApiClient,
  type ApiClientOptions,
  type ApiProvider,
  type Credentials,
} from "./client.js";
export { ApiHttp, type ApiHttpOptions, type ApiResponse } from "./http.js";
export { ConcurrencyLimiter } from "./limiter.js";
export { basicAuth, oauthClientCredentials, type Auth } from "./auth.js";
export { encodeParams, type Params } from "./form.js";
export {
  WirelessResources,
  type SimFilters,
  type SimUpdate,
  type CommandCreate,
  type CommandFilters,
  type UsageQuery,
} from "./resources/wireless.js";
export { SuperSimResources, type Fleet } from "./resources/supersim.js";
export type { Sim, RatePlan, Command, UsageRecord, DataSession, SimStatus, CommandStatus } from "./resources/types.js";
export {
  WirelessCarrier,
  SuperSimCarrier,
  normalizeIccid,
  findSimByIccid,
  type CarrierApi,
  type CarrierView,
  type ApiProduct,
} from "./carrier.js";
export { SimLookup, type CachedView } from "./sim-lookup.js";
export { collect, paginate, type PageOptions } from "./paging.js";
export { apiRetryDelayMs } from "./retry-policy.js";
