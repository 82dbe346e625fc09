export { ModemSimulator, type ModemSimulatorOptions, type SimulatorEvents } from "./simulator.js";
export { PERSONALITIES, type Personality, type PersonalityName } from "./personality.js";
export type { SentSms } from "./commands/types.js";
export type { StoredMessage, Memory } from "./sms-store.js";
export type { ModemWorld, Network, SimCard } from "./state.js";
export { PtyModem, serveInProcess } from "./serve.js";
export { openPty, chooseBackend, availableBackends, type PtyBackend, type PtyPeer } from "./pty.js";
export { parseCommandLine } from "./dispatch.js";
export { buildMtPdus, type MtSms } from "./network-sms.js";
