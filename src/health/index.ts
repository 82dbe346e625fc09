export * from "./types.js";
export { assess, verdictOf, failing, MODEM_RULES, ALL_RULES, VERDICT_EXIT } from "./verdict.js";
export { DEFAULT_APN } from "./rules/apn.js";
