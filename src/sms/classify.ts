import { describeError, isCellgateError } from "../core/index.js";
import { decodePdu, type DeliverPdu, type Pdu } from "./pdu/index.js";
import { Reassembler, type PartRecord } from "./reassembly.js";
import { isCommandSender, messageId, stripCommandSid } from "./twilio.js";
import type { InboundMessage, Product } from "./types.js";

/** What a classification needs besides the PDU: whose Commands count, and when it was read. */
export interface ClassifyContext {
  product: Product;
  /** Clock time the PDU was read (ms). */
  now: number;
}

/**
 * One read PDU, classified: a whole message to hand off (a Command, a foreign SMS, a status
 * report, or undecodable bytes kept raw with the reason), one part of a multipart message to
 * hold, or an outgoing (SUBMIT) PDU that is not ours to take.
 */
export type Classified =
  { kind: "message"; message: InboundMessage } | { kind: "part"; part: PartRecord } | { kind: "not-inbound" };

/** Decodes and classifies one PDU (hex, SMSC part included). Pure: never throws. */
export function classifyPdu(hex: string, ctx: ClassifyContext): Classified {
  let pdu: Pdu;
  try {
    pdu = decodePdu(hex);
  } catch (err) {
    const error = isCellgateError(err)
      ? { code: err.code, message: err.message }
      : { code: "CG_ERR_PDU_DECODE", message: describeError(err) };
    const message: InboundMessage = {
      ...base([hex], ctx),
      id: messageId({ content: hex }),
      kind: "undecodable",
      sender: null,
      smsc: null,
      timestamp: null,
      error,
    };
    return { kind: "message", message };
  }
  if (pdu.type === "submit") return { kind: "not-inbound" };
  if (pdu.type === "status-report") {
    const statusReport = {
      mr: pdu.mr,
      recipient: pdu.recipient,
      status: pdu.status,
      outcome: pdu.outcome,
      discharge: pdu.discharge.iso,
    };
    const id = messageId({ sender: pdu.recipient, timestamp: pdu.timestamp.iso, content: `sr:${pdu.mr}:${pdu.status}` });
    const message: InboundMessage = {
      ...base([hex], ctx),
      id,
      kind: "status-report",
      sender: pdu.recipient,
      smsc: pdu.smsc,
      timestamp: pdu.timestamp.iso,
      statusReport,
    };
    return { kind: "message", message };
  }
  if (pdu.concat && pdu.concat.total > 1) return { kind: "part", part: partOf(pdu, hex, ctx.now) };
  return { kind: "message", message: assemble([partOf(pdu, hex, ctx.now)], ctx) };
}

/**
 * One message from its parts, in part order (one part for a plain SMS): text or 8-bit data,
 * a Command (its IncludeSid SID stripped) or foreign; undecodable when parts mix data and text.
 */
export function assemble(parts: readonly PartRecord[], ctx: ClassifyContext, incomplete = false): InboundMessage {
  const first = parts[0];
  if (first === undefined) throw new RangeError("assemble: a message has at least one part");
  const multipart = first.total > 1 ? { concat: { ref: first.ref, total: first.total, parts: parts.map((p) => p.part) } } : {};
  const common = {
    pdus: parts.map((p) => p.pdu),
    receivedAt: new Date(ctx.now).toISOString(),
    sender: first.sender,
    smsc: first.smsc,
    timestamp: first.timestamp,
    ...multipart,
    ...(incomplete ? { incomplete } : {}),
  };
  const binary = parts.filter((p) => p.encoding === "8bit").length;
  if (binary > 0 && binary < parts.length) {
    const error = { code: "CG_ERR_PDU_DECODE", message: "the parts of one message mix 8-bit data and text" };
    const id = messageId({ sender: first.sender, timestamp: first.timestamp, content: common.pdus.join("") });
    return { ...common, id, kind: "undecodable", error };
  }
  const kind = isCommandSender(first.sender, ctx.product) ? "command" : "foreign";
  if (binary > 0) {
    const data = Buffer.from(parts.map((p) => p.dataHex ?? "").join(""), "hex");
    const id = messageId({ sender: first.sender, timestamp: first.timestamp, content: data.toString("hex") });
    return { ...common, id, kind, encoding: "8bit", dataBase64: data.toString("base64") };
  }
  const text = parts.map((p) => p.text ?? "").join("");
  const { body, sid } = kind === "command" ? stripCommandSid(text) : { body: text, sid: undefined };
  const encoding = parts.some((p) => p.encoding === "ucs2") ? "ucs2" : "gsm7";
  const id = messageId({ ...(sid ? { sid } : {}), sender: first.sender, timestamp: first.timestamp, content: text });
  return { ...common, id, kind, encoding, text: body, ...(sid ? { sid } : {}) };
}

function partOf(p: DeliverPdu, hex: string, now: number): PartRecord {
  const c = p.concat ?? { ref: 0, total: 1, part: 1, refBits: 8 as const };
  return {
    key: Reassembler.keyOf(p.sender, c),
    sender: p.sender,
    ref: c.ref,
    total: c.total,
    part: c.part,
    pdu: hex,
    smsc: p.smsc,
    timestamp: p.timestamp.iso,
    encoding: p.encoding,
    ...(p.text !== undefined ? { text: p.text } : {}),
    ...(p.data !== undefined ? { dataHex: Buffer.from(p.data).toString("hex") } : {}),
    receivedAt: now,
  };
}

function base(pdus: string[], ctx: ClassifyContext): Pick<InboundMessage, "pdus" | "receivedAt"> {
  return { pdus, receivedAt: new Date(ctx.now).toISOString() };
}
