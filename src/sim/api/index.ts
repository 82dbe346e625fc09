export {
  ApiSimulator,
  type ApiSimulatorOptions,
  type Fault,
  type RecordedResponse,
  type SimulatorCredentials,
} from "./server.js";
export { ModemBridge, type ModemBridgeOptions } from "./modem-bridge.js";
export type { ApiStore, SimRecord, CommandRecord } from "./store.js";
