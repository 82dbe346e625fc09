export * from "./topics.js";
export { TOPIC_DOCS } from "./topic-docs.js";
export { Outbox, type OutboxEntry, type OutboxLimits, type OutboxStats } from "./outbox.js";
export {
  MqttLink,
  redactUrl,
  type MqttLinkOptions,
  type MqttLinkState,
  type MqttLinkEvents,
  type CommandSendHandler,
} from "./link.js";
export { modemPayload, networkPayload, telemetryPayload, commandReceivedPayload } from "./payloads.js";
export { SendLedger, type SendBudget } from "./send-ledger.js";
