export { startDaemon, type Daemon, type DaemonOptions } from "./daemon.js";
export { createModemStack, type ModemStack, type ModemStackOptions } from "./modem-stack.js";
