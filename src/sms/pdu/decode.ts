import { readAddress, readSmsc, type NumberType } from "./address.js";
import { decodeDcs, type Encoding } from "./dcs.js";
import { decodeSeptets, unpackSeptets } from "./gsm7.js";
import { hexToBytes, PduReader } from "./reader.js";
import { readTimestamp, type Timestamp } from "./scts.js";
import { decodeUcs2 } from "./ucs2.js";
import { parseUdh, type Concat, type Udh } from "./udh.js";

export interface DecodeOptions {
  /** The PDU starts with the SMSC part, as +CMGR/+CMGL print it (default). False: a bare TPDU. */
  smsc?: boolean;
  /**
   * Decode what is there instead of failing when the UDL promises more than follows or the hex
   * has an odd digit; what was tolerated is listed in `warnings`. For showing a broken
   * message to a human, never for deciding what a Command says.
   */
  lenient?: boolean;
}

interface UserData {
  pid: number;
  dcs: number;
  encoding: Encoding;
  messageClass?: 0 | 1 | 2 | 3;
  /** Decoded text (GSM 7-bit, UCS2); absent for 8-bit data. */
  text?: string;
  /** The user data octets of an 8-bit message (header excluded). */
  data?: Uint8Array;
  udh?: Udh;
  concat?: Concat;
  warnings?: string[];
}

export interface DeliverPdu extends UserData {
  type: "deliver";
  smsc: string | null;
  sender: string;
  senderToa: number;
  senderType: NumberType;
  timestamp: Timestamp;
  moreMessagesToSend: boolean;
  statusReportIndication: boolean;
}

export interface SubmitPdu extends UserData {
  type: "submit";
  smsc: string | null;
  mr: number;
  recipient: string;
  recipientToa: number;
  recipientType: NumberType;
  statusReportRequest: boolean;
  validity?: { relativeMinutes: number } | { absolute: Timestamp } | { enhanced: string };
}

export interface StatusReportPdu {
  type: "status-report";
  smsc: string | null;
  mr: number;
  recipient: string;
  recipientToa: number;
  /** When the service centre took the message (TP-SCTS). */
  timestamp: Timestamp;
  /** When it was delivered, or the status last changed (TP-DT). */
  discharge: Timestamp;
  /** TP-ST: 0x00-0x1F done, 0x20-0x3F still trying, 0x40-0x7F failed. */
  status: number;
  outcome: "delivered" | "pending" | "failed";
}

export type Pdu = DeliverPdu | SubmitPdu | StatusReportPdu;

/**
 * One SMS PDU: SMS-DELIVER, SMS-SUBMIT (read back from storage) or SMS-STATUS-REPORT, with
 * or without the SMSC part. Every malformed input is a CG_ERR_PDU_DECODE naming the field and
 * the octet; nothing else is ever thrown.
 */
export function decodePdu(hex: string, opts: DecodeOptions = {}): Pdu {
  const lenient = opts.lenient ?? false;
  const r = new PduReader(hexToBytes(hex, lenient), hex, lenient);
  const smsc = (opts.smsc ?? true) ? (readSmsc(r)?.number ?? null) : null;
  const foAt = r.offset;
  const fo = r.u8("first octet");
  switch (fo & 0x03) {
    case 0:
      return deliver(r, fo, smsc, lenient);
    case 1:
      return submit(r, fo, smsc, lenient);
    case 2:
      return statusReport(r, smsc, lenient);
    default:
      return r.fail("first octet", `message type indicator 3 is reserved (0x${fo.toString(16).padStart(2, "0")})`, foAt);
  }
}

function deliver(r: PduReader, fo: number, smsc: string | null, lenient: boolean): DeliverPdu {
  const oa = readAddress(r, "originating address");
  const pid = r.u8("PID");
  const dcsAt = r.offset;
  const dcs = r.u8("DCS");
  const timestamp = readTimestamp(r, "SCTS");
  return {
    type: "deliver",
    smsc,
    sender: oa.number,
    senderToa: oa.toa,
    senderType: oa.type,
    timestamp,
    moreMessagesToSend: (fo & 0x04) === 0,
    statusReportIndication: (fo & 0x20) !== 0,
    ...userData(r, fo, pid, dcs, dcsAt, lenient),
  };
}

function submit(r: PduReader, fo: number, smsc: string | null, lenient: boolean): SubmitPdu {
  const mr = r.u8("message reference");
  const da = readAddress(r, "destination address");
  const pid = r.u8("PID");
  const dcsAt = r.offset;
  const dcs = r.u8("DCS");
  const vpf = (fo >> 3) & 0x03;
  let validity: SubmitPdu["validity"];
  if (vpf === 2) validity = { relativeMinutes: relativeValidity(r.u8("validity period")) };
  else if (vpf === 3) validity = { absolute: readTimestamp(r, "validity period") };
  else if (vpf === 1) validity = { enhanced: Buffer.from(r.take(7, "validity period")).toString("hex").toUpperCase() };
  return {
    type: "submit",
    smsc,
    mr,
    recipient: da.number,
    recipientToa: da.toa,
    recipientType: da.type,
    statusReportRequest: (fo & 0x20) !== 0,
    ...(validity ? { validity } : {}),
    ...userData(r, fo, pid, dcs, dcsAt, lenient),
  };
}

function statusReport(r: PduReader, smsc: string | null, lenient: boolean): StatusReportPdu {
  const mr = r.u8("message reference");
  const ra = readAddress(r, "recipient address");
  const timestamp = readTimestamp(r, "SCTS");
  const discharge = readTimestamp(r, "discharge time");
  const status = r.u8("status");
  // An optional TP-PI and the parameters it announces may follow; they say nothing we use.
  if (r.remaining > 0 && !lenient) {
    const piAt = r.offset;
    const pi = r.u8("parameter indicator");
    if ((pi & 0x01) !== 0) r.u8("PID");
    if ((pi & 0x02) !== 0) r.u8("DCS");
    if ((pi & 0x04) !== 0) r.take(r.u8("UDL"), "user data");
    if (r.remaining > 0 && (pi & 0x78) === 0) r.fail("status report", `${r.remaining} octets after the parameters`, piAt);
  }
  return {
    type: "status-report",
    smsc,
    mr,
    recipient: ra.number,
    recipientToa: ra.toa,
    timestamp,
    discharge,
    status,
    outcome: status < 0x20 ? "delivered" : status < 0x40 ? "pending" : "failed",
  };
}

/** TP-VP relative format (23.040 §9.2.3.12.1), in minutes. */
function relativeValidity(v: number): number {
  if (v <= 143) return (v + 1) * 5;
  if (v <= 167) return 12 * 60 + (v - 143) * 30;
  if (v <= 196) return (v - 166) * 24 * 60;
  return (v - 192) * 7 * 24 * 60;
}

function userData(r: PduReader, fo: number, pid: number, dcs: number, dcsAt: number, lenient: boolean): UserData {
  const coding = decodeDcs(dcs);
  if (coding.compressed) r.fail("DCS", `0x${dcs.toString(16)} announces compressed user data, which is not supported`, dcsAt);
  const udlAt = r.offset;
  const udl = r.u8("UDL");
  const septets = coding.encoding === "gsm7";
  if (udl > (septets ? 160 : 140)) {
    if (!lenient) r.fail("UDL", `${udl} ${septets ? "septets" : "octets"} is more than one SMS holds`, udlAt);
  }
  const need = septets ? Math.ceil((udl * 7) / 8) : udl;
  const warnings: string[] = [];
  if (r.remaining < need) {
    if (!lenient)
      r.fail(
        "user data",
        `UDL announces ${udl} ${septets ? "septets" : "octets"} (${need} octets), ${r.remaining} follow`,
        udlAt + 1,
      );
    warnings.push(`UDL announces ${need} octets, ${r.remaining} follow: decoded what is there`);
  } else if (r.remaining > need && !lenient) {
    r.fail("user data", `${r.remaining - need} octets after the ${need} the UDL announces`, udlAt + 1 + need);
  }
  const udAt = r.offset;
  const ud = r.take(Math.min(need, r.remaining), "user data");
  const udh = (fo & 0x40) !== 0 ? parseUdh(ud, r, udAt) : undefined;
  const out: UserData = {
    pid,
    dcs,
    encoding: coding.encoding,
    ...(coding.messageClass !== undefined ? { messageClass: coding.messageClass } : {}),
  };
  if (udh) {
    out.udh = udh;
    if (udh.concat) out.concat = udh.concat;
  }
  if (septets) {
    const skip = udh ? Math.ceil((udh.length * 8) / 7) : 0;
    if (skip > udl) r.fail("UDL", `${udl} septets cannot hold the ${udh!.length}-octet header`, udlAt);
    const count = Math.min(udl, Math.floor((ud.length * 8) / 7));
    out.text = decodeSeptets(unpackSeptets(ud, count).slice(skip));
  } else {
    const body = ud.subarray(udh?.length ?? 0);
    if (coding.encoding === "8bit") {
      out.data = Uint8Array.from(body);
    } else {
      const u = decodeUcs2(lenient && body.length % 2 === 1 ? body.subarray(0, body.length - 1) : body);
      if ("error" in u) {
        if (!lenient) r.fail("user data", u.error, udAt + (udh?.length ?? 0));
        warnings.push(u.error);
      }
      out.text = u.text;
    }
  }
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}
