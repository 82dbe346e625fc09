export { Notifier } from "./notify.js";
export { TimeKeeper, type ClockQuality, type SyncSource } from "./time-quality.js";
export { ControlServer, controlRequest, type ControlHandler } from "./control.js";
export { ClockSync, type SyncReading, type SyncState, type Runner } from "./clock-sync.js";
