export * from "./types.js";
export * from "./parsers/index.js";
export { chooseProfile, PROFILES, type VendorProfile } from "./vendors/index.js";
export type { ReportPort } from "./vendors/profile.js";
export { Modem, type ModemOptions, type ModemEvents } from "./modem.js";
export { DataBearer, type BearerConfig, type BearerMode, type BearerOutcome } from "./data-bearer.js";
export { NetworkSelection, type Selection } from "./network-selection.js";
export { mainRegistration, networkView, type NetworkView } from "./network-view.js";
export { Capabilities, type Capability } from "./capabilities.js";
export { currentRat, ratFromAct, ratFromText } from "./rat.js";
export { withRetry, isRetryable } from "./retry.js";
export {
  PortSupervisor,
  type PortSupervisorOptions,
  type PortState,
  type RecoveryEvent,
  type SupervisorEvents,
} from "./port/supervisor.js";
export {
  ladderNext,
  DEFAULT_LADDER,
  INITIAL_LADDER,
  type LadderConfig,
  type LadderState,
  type LadderEvent,
  type LadderAction,
  type RecoveryStep,
} from "./port/recovery-ladder.js";
export { findPorts } from "./port/finder.js";
export { ModemSms, isStorageFull, type SmsEvents, type SmsSetupOptions, type Reception } from "./modem-sms.js";
