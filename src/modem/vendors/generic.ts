import type { VendorProfile } from "./profile.js";

/** Any 27.007 modem: ICCID through the standard EF_ICCID read when there is no +CCID. */
export const generic: VendorProfile = {
  name: "generic",
  matches: () => true,
  urcs: [],
  iccidCommands: ["AT+CCID", "AT+ICCID", "AT+CRSM=176,12258,0,0,10"],
  initCommands: [],
  resetCommand: "AT+CFUN=1,1",
  // 27.007 only: +CGACT on cid 1; no interface command of its own.
  bearer: { cid: 1, cgact: true, up: [], airplane: 4 },
};
