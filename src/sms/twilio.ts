import { createHash } from "node:crypto";
import { COMMAND_NUMBER, type Product } from "./types.js";

/**
 * Whether a sender is the Command short code of the product. Matched leniently: the TOA, a
 * "+" and any non-digit are ignored (Twilio's own samples only do a substring match;
 * the exact rendering of 2936 in +CMGR is not documented).
 */
export function isCommandSender(sender: string, product: Product): boolean {
  return sender.replace(/\D/g, "") === COMMAND_NUMBER[product];
}

const SID_START = /^(DC[0-9a-fA-F]{32})(?:\s+|$)/;
const SID_END = /(?:^|\s+)(DC[0-9a-fA-F]{32})$/;

/**
 * IncludeSid: a text Command may begin or end with its Command SID, separated by a space.
 * Returns the body without it, and the SID.
 */
export function stripCommandSid(text: string): { body: string; sid?: string } {
  const start = SID_START.exec(text);
  if (start !== null) return { body: text.slice(start[0].length), sid: start[1]! };
  const end = SID_END.exec(text);
  if (end !== null) return { body: text.slice(0, text.length - end[0].length), sid: end[1]! };
  return { body: text };
}

/** The de-duplication id: the Command SID when there is one, else a hash of what identifies the SMS. */
export function messageId(parts: { sid?: string; sender?: string | null; timestamp?: string | null; content: string }): string {
  if (parts.sid) return `sid:${parts.sid}`;
  const h = createHash("sha256")
    .update(`${parts.sender ?? ""}\u0000${parts.timestamp ?? ""}\u0000${parts.content}`)
    .digest("hex");
  return `h:${h.slice(0, 32)}`;
}
