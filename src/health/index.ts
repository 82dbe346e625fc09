export * from "./types.js";
export { assess, verdictOf, MODEM_RULES, VERDICT_EXIT } from "./verdict.js";
