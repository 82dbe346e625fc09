export { decodePdu, type Pdu, type DeliverPdu, type SubmitPdu, type StatusReportPdu, type DecodeOptions } from "./decode.js";
export {
  encodeSubmit,
  encodeDeliver,
  type EncodedPdu,
  type SubmitInput,
  type DeliverInput,
  type UserDataInput,
} from "./encode.js";
export { decodeSeptets, encodeSeptets, packSeptets, unpackSeptets, gsm7Length } from "./gsm7.js";
export { decodeUcs2, encodeUcs2 } from "./ucs2.js";
export { decodeDcs, type Encoding, type DataCoding } from "./dcs.js";
export type { Concat, Udh } from "./udh.js";
export type { Timestamp } from "./scts.js";
export type { NumberType } from "./address.js";
export { hexToBytes } from "./reader.js";
export { pduFields } from "./fields.js";
