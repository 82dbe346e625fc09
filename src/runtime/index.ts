export { Notifier } from "./notify.js";
export { TimeKeeper, type ClockQuality } from "./time-quality.js";
export { ControlServer, controlRequest, type ControlHandler } from "./control.js";
