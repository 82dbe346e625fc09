import { encodeAddress } from "./address.js";
import { dcsFor, type Encoding } from "./dcs.js";
import { encodeError } from "./errors.js";
import { encodeSeptets, packSeptets } from "./gsm7.js";
import { encodeTimestamp } from "./scts.js";
import { encodeUcs2 } from "./ucs2.js";
import { encodeConcat, type Concat } from "./udh.js";

export interface EncodedPdu {
  /** Hex as written after the `>` prompt: an empty SMSC part (00, the modem's default SMSC), then the TPDU. */
  hex: string;
  /** The `<length>` of AT+CMGS: TPDU octets, the SMSC part excluded. */
  tpduLength: number;
  encoding: Encoding;
}

export interface UserDataInput {
  /** Text: GSM 7-bit when every character has a code, else UCS2 (UTF-16BE). */
  text?: string;
  /** Binary: 8-bit data. */
  data?: Uint8Array;
  /** Force UCS2 even when GSM 7-bit would do. */
  ucs2?: boolean;
  /** Fill 7 spare bits at the end with CR (23.038 §6.1.2.3.1; default true). */
  padCr?: boolean;
  concat?: Omit<Concat, "refBits"> & { refBits?: 8 | 16 };
}

export interface SubmitInput extends UserDataInput {
  /** `+` and digits for an international number; digits alone (a short code such as 2936) otherwise. */
  to: string;
  /** Override the type of address (0x81 unknown / 0xA1 national / 0x91 international). */
  toToa?: number;
  statusReport?: boolean;
  /** Relative validity in minutes (5 min .. 63 weeks), omitted by default. */
  validityMinutes?: number;
}

/** SMS-SUBMIT for a Mobile-Originated message; one segment (concat only when given). */
export function encodeSubmit(input: SubmitInput): EncodedPdu {
  const { encoding, dcs, udl, ud } = userData(input);
  const vp = input.validityMinutes === undefined ? undefined : relativeValidity(input.validityMinutes);
  const fo = 0x01 | (vp !== undefined ? 0x10 : 0) | (input.statusReport ? 0x20 : 0) | (input.concat ? 0x40 : 0);
  const tpdu = Uint8Array.from([
    fo,
    0x00,
    ...encodeAddress(input.to, input.toToa),
    0x00,
    dcs,
    ...(vp !== undefined ? [vp] : []),
    udl,
    ...ud,
  ]);
  return { hex: `00${Buffer.from(tpdu).toString("hex").toUpperCase()}`, tpduLength: tpdu.length, encoding };
}

export interface DeliverInput extends UserDataInput {
  from: string;
  fromToa?: number;
  smsc?: string;
  /** Service centre time stamp. */
  epochMs: number;
  tzMinutes?: number;
  pid?: number;
  messageClass?: 0 | 1 | 2 | 3;
  /** TP-MMS: more messages are waiting at the SMSC (default false). */
  moreMessages?: boolean;
}

/** SMS-DELIVER as a network delivers it (the simulator's side), with the SMSC part. */
export function encodeDeliver(input: DeliverInput): EncodedPdu {
  const { encoding, dcs, udl, ud } = userData(input);
  const dcsWithClass = input.messageClass === undefined ? dcs : dcs | 0x10 | input.messageClass;
  const fo = (input.moreMessages ? 0 : 0x04) | (input.concat ? 0x40 : 0);
  const smsc = input.smsc === undefined ? Uint8Array.from([0]) : smscField(input.smsc);
  const tpdu = Uint8Array.from([
    fo,
    ...encodeAddress(input.from, input.fromToa),
    input.pid ?? 0,
    dcsWithClass,
    ...encodeTimestamp(input.epochMs, input.tzMinutes ?? 0),
    udl,
    ...ud,
  ]);
  return {
    hex: Buffer.from([...smsc, ...tpdu])
      .toString("hex")
      .toUpperCase(),
    tpduLength: tpdu.length,
    encoding,
  };
}

function smscField(number: string): Uint8Array {
  const addr = encodeAddress(number);
  // The SMSC length counts octets (TOA included), unlike TP-OA's digit count.
  return Uint8Array.from([addr.length - 1, ...addr.subarray(1)]);
}

function userData(input: UserDataInput): { encoding: Encoding; dcs: number; udl: number; ud: Uint8Array } {
  if ((input.text === undefined) === (input.data === undefined)) throw encodeError("give exactly one of text or data");
  const header = input.concat
    ? Uint8Array.from([5 + (input.concat.refBits === 16 ? 1 : 0), ...encodeConcat(input.concat)])
    : new Uint8Array(0);
  if (input.data !== undefined) {
    if (header.length + input.data.length > 140)
      throw encodeError(`${input.data.length} octets of data do not fit one SMS (140)`, { octets: input.data.length });
    return {
      encoding: "8bit",
      dcs: dcsFor("8bit"),
      udl: header.length + input.data.length,
      ud: Uint8Array.from([...header, ...input.data]),
    };
  }
  const text = input.text!;
  const septets = input.ucs2 ? undefined : encodeSeptets(text);
  if (septets !== undefined) {
    const headerSeptets = Math.ceil((header.length * 8) / 7);
    if (headerSeptets + septets.length > 160)
      throw encodeError(`${septets.length} GSM 7-bit characters do not fit one SMS (${160 - headerSeptets})`, {
        septets: septets.length,
      });
    const fill = header.length === 0 ? 0 : headerSeptets * 7 - header.length * 8;
    const packed = packSeptets(septets, fill, input.padCr ?? true);
    return {
      encoding: "gsm7",
      dcs: dcsFor("gsm7"),
      udl: headerSeptets + septets.length,
      ud: Uint8Array.from([...header, ...packed]),
    };
  }
  const body = encodeUcs2(text);
  if (header.length + body.length > 140)
    throw encodeError(`${text.length} UCS2 units do not fit one SMS (${(140 - header.length) / 2})`, { units: text.length });
  return { encoding: "ucs2", dcs: dcsFor("ucs2"), udl: header.length + body.length, ud: Uint8Array.from([...header, ...body]) };
}

function relativeValidity(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 5) throw encodeError(`validity of ${minutes} minutes is below 5`);
  if (minutes <= 720) return Math.ceil(minutes / 5) - 1;
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  if (minutes <= 30 * 1440) return 166 + Math.ceil(minutes / 1440);
  return Math.min(255, 192 + Math.ceil(minutes / (7 * 1440)));
}
