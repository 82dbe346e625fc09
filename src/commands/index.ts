export { VERBS, ACTING_VERBS, isVerb, parseCommand, checkArgs, type Verb } from "./verbs/names.js";
export {
  SIGNED_BODY_MAX,
  MIN_KEY_BYTES,
  REQUEST_ID,
  splitSignature,
  commandKey,
  computeTag,
  verifyTag,
  signText,
} from "./signature.js";
export { addressedToCellgate } from "./addressed.js";
export {
  authenticate,
  replayWindowMs,
  windowFor,
  type AgeWindows,
  type CommandPolicy,
  type Decision,
  type RejectReason,
} from "./authenticate.js";
export { REPLY_MAX, fitReply, echoed, readReply, gsmSafe, cut, kv, duration, bytes, type Septets, type Field } from "./reply.js";
export {
  statusReply,
  healthReply,
  signalReply,
  netReply,
  simReply,
  mqttReply,
  versionReply,
  helpReply,
  pingReply,
  modemResetReply,
  backOnlineReply,
} from "./replies.js";
export { CommandProcessor, type ProcessorOptions } from "./processor.js";
export { Journal, type JournalEntry } from "./journal.js";
export { stateDirFiles, memoryStateFiles, type StateFiles } from "./state-files.js";
export { tcpPing, type PingResult } from "./verbs/ping.js";
export type { Gateway, GatewayView, ResetOutcome, InboundCommand, Admission, AuthResult } from "./types.js";
