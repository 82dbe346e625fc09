export * from "./types.js";
export * from "./parsers/index.js";
export { chooseProfile, PROFILES, type VendorProfile } from "./vendors/index.js";
export { Modem, isUnsupported, type ModemOptions, type ModemEvents } from "./modem.js";
export { withRetry, isRetryable } from "./retry.js";
