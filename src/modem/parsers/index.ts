export { parseError, splitFields, decodeUcs2Hex, type Field } from "./fields.js";
export { accessTech } from "./act.js";
export { parseCsqExec, csqRssiDbm } from "./csq.js";
export { parseCesqExec, cesqToSignal, type CesqResult } from "./cesq.js";
export { parseCregRead, parseCgregRead, parseCeregRead, parseC5gregRead, parseRegistrationLine } from "./creg.js";
export { parseCopsRead, parseCopsTest } from "./cops.js";
export { parseCrsm, simOk, decodePlmnList, type SimResponse } from "./crsm.js";
export { parseCpinRead, simStateFromCme } from "./cpin.js";
export { parseIccid, parseIccidReply } from "./iccid.js";
export { parseIdentityText, parseCgsnExec, parseCimiExec, type Imei } from "./identity.js";
export { parseCgattRead } from "./cgatt.js";
export { parseCfunRead } from "./cfun.js";
export { parseDataEvent } from "./data-events.js";
export { parseCgactRead } from "./cgact.js";
export { parseCgdcontRead } from "./cgdcont.js";
export { parseCgpaddrExec, dottedIpv6, type PdpAddress } from "./cgpaddr.js";
export { parseCclkRead, parseQltsExec } from "./cclk.js";
export {
  parseCmglPdu,
  parseCmgrPdu,
  parseCpmsRead,
  parseCpmsWrite,
  parseCpmsTest,
  parseCmti,
  parseCmgsWrite,
  type StoredSms,
  type MemoryUsage,
} from "./sms.js";
