export { deriveGatewayKey, hkdfSha256, iccidForKey, gatewayKey, readKeyMap, type KeySource, type KeyTarget } from "./keys.js";
export { twilioSignature, validTwilioSignature } from "./twilio-signature.js";
export { FleetApi, type Target, type SimChange } from "./fleet-api.js";
export { FleetAsk, type AskOptions, type AskResult } from "./ask.js";
export { counts, FINAL, ReplyMatcher, type Row, type RowState, type Counts } from "./rows.js";
export { ReplyPoller } from "./poll.js";
export { httpFeed, type Feed, type CallbackEvent } from "./feed.js";
export { CallbackServer, type CallbackServerOptions } from "./serve.js";
export { pullLever, reached, type LeverOptions, type LeverResult, type SimState } from "./levers.js";
