export { Notifier } from "./notify.js";
export { TimeKeeper, type ClockQuality, type SyncSource } from "./time-quality.js";
export { ControlServer } from "./control.js";
export { controlRequest, socketAnswers } from "./client/index.js";
export { ClockSync, type SyncReading, type SyncState, type Runner } from "./clock-sync.js";
export {
  CONTROL_PROTOCOL,
  parseControlRequest,
  type ControlHandlers,
  type ControlMethod,
  type ControlParams,
  type ControlRequest,
  type ControlResult,
  type StatusResult,
  type AtResult,
  type SendResult,
  type SimResult,
  type StoredMessage,
} from "./control-protocol.js";
