export { configSchema, type Config, type ConfigInput } from "./schema.js";
export { loadConfig, checkConfig, checkConfigText, envKeys, type Loaded, type LoadOptions, type Problem } from "./load.js";
export { changedKeys } from "./reload.js";
export { LIVE_KEYS } from "./schema.js";
export { unknownVariables, describeUnknown, type UnknownVariable } from "./env-names.js";
export { DEFAULT_CONFIG_FILE } from "./file/index.js";
export { CONFIG_DESCRIPTIONS } from "./descriptions.js";
