export * from "./types.js";
export { Inbox, type InboxOptions, type InboxEvents, type SmsDevice } from "./inbox.js";
export { Reassembler, type PartRecord, type AddResult } from "./reassembly.js";
export { SeenSet } from "./seen-set.js";
export { Spool } from "./spool.js";
export { isCommandSender, stripCommandSid, messageId } from "./twilio.js";
export { sendMoSms, encodeMo, type MoCommand, type MoResult, type MoOptions, type SmsSender } from "./mo-sender.js";
export { classifyPdu, assemble, type Classified, type ClassifyContext } from "./classify.js";
