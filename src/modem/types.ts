import type { Capability } from "./capabilities.js";

/** Plain data the modem layer produces: what other layers (health, mqtt, cli) consume. */

export type VendorName = "quectel" | "simcom" | "ublox" | "telit" | "nordic" | "generic";

export interface ModemIdentity {
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** null when the SIM is absent or the ICCID cannot be read. */
  iccid: string | null;
  imsi: string | null;
  vendor: VendorName;
}

/** 27.007 access technologies (<AcT>), by name. */
export type AccessTech =
  | "gsm"
  | "gsm-compact"
  | "umts"
  | "edge"
  | "hsdpa"
  | "hsupa"
  | "hspa"
  | "lte"
  | "ec-gsm-iot"
  | "nb-iot"
  | "lte-5gcn"
  | "nr-5gcn"
  | "ng-ran"
  | "en-dc";

/** The radio in service, as an operator names it: LTE-M and NB-IoT apart from LTE. */
export type Rat = "gsm" | "umts" | "lte" | "lte-m" | "nb-iot" | "nr";

/** 27.007 <stat> of +CREG/+CGREG/+CEREG/+C5GREG. */
export type RegState =
  | "idle"
  | "home"
  | "searching"
  | "denied"
  | "unknown"
  | "roaming"
  | "home-sms-only"
  | "roaming-sms-only"
  | "emergency-only"
  | "home-csfb-not-preferred"
  | "roaming-csfb-not-preferred"
  | "attached-rlos";

/** cs = +CREG, ps = +CGREG, eps = +CEREG, 5gs = +C5GREG. */
export type RegDomain = "cs" | "ps" | "eps" | "5gs";

export interface Registration {
  domain: RegDomain;
  /** The raw <stat> number, kept for states a newer spec adds. */
  stat: number;
  state: RegState;
  registered: boolean;
  roaming: boolean;
  /** Location area code (cs/ps) or tracking area code (eps/5gs), when reported. */
  lac?: number;
  tac?: number;
  ci?: number;
  act?: AccessTech;
  /** Why the network refused registration (<n>=3..5): an EMM cause (TS 24.301 §9.9.3.9) or the vendor's. */
  rejectCause?: { type: "emm" | "vendor"; cause: number };
  /** Power saving mode timers the network granted (<n>=4/5): seconds, null when deactivated. */
  psm?: { activeTimeS: number | null; periodicTauS: number | null };
}

export type SimState =
  | "ready"
  | "sim-pin"
  | "sim-puk"
  | "sim-pin2"
  | "sim-puk2"
  | "ph-sim-pin"
  | "ph-net-pin"
  | "ph-netsub-pin"
  | "ph-sp-pin"
  | "ph-corp-pin"
  | "absent"
  | "busy"
  | "failure"
  | "unknown";

export interface Operator {
  /** +COPS <mode>: 0 automatic, 1 manual, 2 deregistered, 3 set format, 4 manual/automatic. */
  mode: number;
  /** Long alphanumeric name, when the modem reports one. */
  name?: string;
  /** MCC+MNC, e.g. "310260". */
  numeric?: string;
  mcc?: string;
  mnc?: string;
  act?: AccessTech;
}

export interface OperatorEntry {
  status: "unknown" | "available" | "current" | "forbidden";
  long?: string;
  short?: string;
  numeric: string;
  act?: AccessTech;
}

export interface SignalQuality {
  /** From +CSQ: dBm, null when 99 (not known or not detectable). */
  rssiDbm: number | null;
  /** +CSQ <ber> class 0..7, null when 99. */
  ber: number | null;
  /** From +CESQ or the vendor's serving-cell report, when available. */
  rsrpDbm?: number | null;
  rsrqDb?: number | null;
  sinrDb?: number | null;
  rscpDbm?: number | null;
  ecnoDb?: number | null;
}

/** The vendor's serving-cell report (+QENG, +CPSI, +UCGED, #RFSTS), normalised. */
export interface ServingCell {
  source: string;
  rat: string;
  state?: string;
  mcc?: string;
  mnc?: string;
  tac?: number;
  lac?: number;
  ci?: number;
  pci?: number;
  earfcn?: number;
  band?: string;
  rsrpDbm?: number | null;
  rsrqDb?: number | null;
  rssiDbm?: number | null;
  sinrDb?: number | null;
}

export interface PdpContext {
  cid: number;
  type: string;
  apn: string;
  /** The context's address: IPv4 when it has one, else IPv6 (+CGPADDR, else +CGDCONT?'s). */
  address?: string;
  /** The IPv6 address of a dual-stack context that also has an IPv4 one. */
  ipv6?: string;
}

export interface NetworkTime {
  /** ISO 8601 with the offset the modem reported (or Z when it gave none). */
  iso: string;
  epochMs: number;
  /** Minutes east of UTC; null when the modem did not say. */
  tzMinutes: number | null;
  /** nitz = taken from the network (Quectel +QLTS); rtc = the modem's clock (+CCLK), maybe set by NITZ. */
  source: "nitz" | "rtc";
  dst?: number;
}

export interface FieldError {
  code: string;
  message: string;
}

/** Everything the modem can tell in one pass; a part that failed is in `errors` instead. */
export interface ModemSnapshot {
  /** ISO time the snapshot was taken. */
  at: string;
  /** The modem answered at least one query of this snapshot (the identity may be remembered). */
  answering: boolean;
  identity?: ModemIdentity;
  sim?: SimState;
  signal?: SignalQuality;
  servingCell?: ServingCell | null;
  registration: Partial<Record<RegDomain, Registration>>;
  /** The radio in service (from the vendor's report, else the registration's <AcT>). */
  rat?: Rat;
  operator?: Operator;
  attached?: boolean;
  pdp?: PdpContext[];
  networkTime?: NetworkTime | null;
  /** What this modem was found to lack (and have) since it last booted. */
  capabilities?: Capability[];
  errors: Partial<
    Record<
      "identity" | "sim" | "signal" | "servingCell" | "registration" | "operator" | "attached" | "pdp" | "networkTime",
      FieldError
    >
  >;
}

/**
 * What the module says about its data path on its own (URCs): a context the network or the
 * module tore down (+CGEV, 27.007 §10.1.19), a firmware update (Quectel +QIND "FOTA"), attach
 * attempts blocked (Nordic %MDMEV: RESET LOOP).
 */
export type DataEvent =
  | { kind: "pdn-deact"; by: "nw" | "me"; cid: number | null; line: string }
  | { kind: "detach"; by: "nw" | "me"; line: string }
  | { kind: "fota"; phase: "start" | "progress" | "end"; error: number | null; line: string }
  | { kind: "throttled"; forMs: number; line: string };
