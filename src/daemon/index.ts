// The wiring pieces of the composition root (src/daemon.ts): each joins two or more folders.
export { BackOnline } from "./back-online.js";
export { commandConsumer, gatewayOf, hostCommand, lateConsumer, moSender, openProcessor } from "./command-wiring.js";
export { openLinkWatchdog, bearerConfig, dataPathWord } from "./link-wiring.js";
export { GatewayState } from "./gateway-state.js";
export { controlApi } from "./control-api.js";
export { createModemStack, type ModemStack, type ModemStackOptions } from "./modem-stack.js";
export { Poller } from "./poller.js";
export { lastRun } from "./last-run.js";
export { mqttAuth } from "./mqtt-auth.js";
export { alive, summary } from "./systemd-status.js";
export { watchState } from "./state-watch.js";
export { wireEvents } from "./event-wiring.js";
export { startTimers } from "./periodic.js";
export { lateMetrics, startIntegrations } from "./integrations.js";
export { Metrics, NO_METRICS, type MetricEvents } from "./metrics.js";
export { smsAdmin, storedMessage, type SmsAdmin } from "./sms-admin.js";
export { startHomeAssistant } from "./homeassistant.js";
