import type { Encoding } from "./pdu/index.js";

/** The Twilio/KORE product the SIM belongs to: where Commands come from and go to. */
export type Product = "programmable-wireless" | "super-sim";

/** The number Commands are exchanged with: 2936 for Programmable Wireless, 000 for Super SIM. */
export const COMMAND_NUMBER: Record<Product, string> = { "programmable-wireless": "2936", "super-sim": "000" };

/**
 * What the inbox hands to consumers: one message (all its parts), never executed by the
 * inbox itself. `id` is stable across restarts and re-deliveries (the Command SID, else a
 * hash of sender, time stamp and content), so a consumer can recognise a repeat.
 */
export interface InboundMessage {
  id: string;
  /** command: from 2936/000; foreign: any other sender (never executed); undecodable: raw + error. */
  kind: "command" | "foreign" | "undecodable" | "status-report";
  sender: string | null;
  smsc: string | null;
  /** The service centre time stamp of the first part (ISO 8601 with its offset). */
  timestamp: string | null;
  /** When cellgate read it (ISO, system clock). */
  receivedAt: string;
  encoding?: Encoding;
  /** Text, with an IncludeSid Command SID stripped. */
  text?: string;
  /** 8-bit (binary) content, base64. */
  dataBase64?: string;
  /** The Command SID (DC + 32 hex) when the Command carried it (IncludeSid). */
  sid?: string;
  /** Multipart: the reference, the total, the parts that arrived. */
  concat?: { ref: number; total: number; parts: number[] };
  /** A multipart message handed off after its expiry without all its parts. */
  incomplete?: boolean;
  /** The PDUs (hex, SMSC part included) it was read from, in part order. */
  pdus: string[];
  /** Why it could not be decoded (kind undecodable). */
  error?: { code: string; message: string };
  /** A delivery report for an SMS we sent (kind status-report). */
  statusReport?: {
    mr: number;
    recipient: string;
    status: number;
    outcome: "delivered" | "pending" | "failed";
    discharge: string;
  };
}

/** Takes a message durably: resolve only once it is safe for the SMS to be deleted. */
export type Consumer = (message: InboundMessage) => Promise<void>;
