/**
 * What tells one simulated modem from another: identity strings, boot banners, defaults and
 * the vendor commands it answers. Written from the vendors' published formats, not from the
 * engine's parsers (so a bug mirrored on both sides cannot pass).
 */
export type PersonalityName = "quectel" | "simcom";

export interface Personality {
  name: PersonalityName;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** What the modem prints at boot, after a reset. */
  bootBanners: string[];
  /** Default +CMEE after boot. */
  cmee: 0 | 1 | 2;
  /** The SMS prompt as the modem sends it (SIMCom: no trailing space). */
  prompt: string;
  /** Answers +CESQ (the SIMCom personality does not, so fallbacks are exercised). */
  cesq: boolean;
  /** The ICCID commands it knows, and how it prints the value. */
  iccid: Record<string, (iccid: string) => string>;
  /** Quote lac/ci in +CREG URCs and reads (Quectel does, SIMCom's firmware here does not). */
  quoteLocation: boolean;
  /** Quote the address in +CGPADDR (Quectel's manual does, SIMCom's SIM7600 manual does not). */
  quoteAddress: boolean;
  smsCapacity: { SM: number; ME: number };
}

// A Luhn-valid IMEI for each (TAC of the real module family, serial made up).
export const PERSONALITIES: Record<PersonalityName, Personality> = {
  quectel: {
    name: "quectel",
    manufacturer: "Quectel",
    model: "EC25",
    revision: "EC25EFAR06A03M4G",
    imei: "866834040123452",
    bootBanners: ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"],
    cmee: 1,
    prompt: "> ",
    cesq: true,
    iccid: {
      "+QCCID": (v) => `+QCCID: ${v.length === 19 ? `${v}F` : v}`,
      "+CCID": (v) => `+CCID: ${v}`,
    },
    quoteLocation: true,
    quoteAddress: true,
    smsCapacity: { SM: 30, ME: 255 },
  },
  simcom: {
    name: "simcom",
    manufacturer: "SIMCOM INCORPORATED",
    model: "SIMCOM_SIM7600G-H",
    revision: "LE20B04SIM7600G22",
    imei: "862636050123452",
    bootBanners: ["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"],
    cmee: 0,
    prompt: ">",
    cesq: false,
    iccid: {
      "+CICCID": (v) => `+ICCID: ${v}`,
      "+CCID": (v) => `+CCID: ${v}`,
    },
    quoteLocation: false,
    quoteAddress: false,
    smsCapacity: { SM: 30, ME: 30 },
  },
};
