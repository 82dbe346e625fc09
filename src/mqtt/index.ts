export * from "./topics.js";
export { TOPIC_DOCS } from "./topic-docs.js";
export { Outbox, type OutboxEntry, type OutboxLimits, type OutboxStats } from "./outbox.js";
export { MqttLink } from "./link.js";
export {
  redactUrl,
  topicMatches,
  type MqttLinkOptions,
  type MqttLinkState,
  type MqttLinkEvents,
  type CommandSendHandler,
  type Incoming,
} from "./link-types.js";
export { modemPayload, networkPayload, telemetryPayload, commandReceivedPayload } from "./payloads.js";
export { SendLedger, type SendBudget } from "./send-ledger.js";
export { requestListener, parseRequest, type RequestHandlers, type RequestSpec, type RequestAnswer } from "./requests.js";
export { discoveryPayload, discoveryTopic, discoveryNodeId } from "./homeassistant.js";
export { healthKey, simKey, SignalDeadband } from "./significance.js";
