export * from "./topics.js";
export { Outbox, type OutboxEntry, type OutboxLimits, type OutboxStats } from "./outbox.js";
export { MqttLink, type MqttLinkOptions, type MqttLinkState, type MqttLinkEvents, type CommandSendHandler } from "./link.js";
export { redactUrl } from "./text.js";
export { modemPayload, networkPayload, telemetryPayload, commandReceivedPayload } from "./payloads.js";
export { SendLedger, type SendBudget } from "./send-ledger.js";
