export * from "./errors.js";
export * from "./clock.js";
export * from "./emitter.js";
export * from "./log.js";
export { formatLogLine } from "./log-text.js";
export * from "./durable-file.js";
export * from "./stable-json.js";
export * from "./base64.js";
export * from "./defaults.js";
