/**
 * The simulated modem's world: SIM, radio, network, settings. Plain data the command
 * handlers read and change, and tests and the API simulator steer through ModemSimulator.
 */
export interface SimCard {
  present: boolean;
  iccid: string;
  imsi: string;
  /** PIN the SIM is locked with; undefined = no PIN lock. */
  pin?: string;
  unlocked: boolean;
  pinAttemptsLeft: number;
  /**
   * EF_FPLMN (TS 31.102 §4.2.16, file 6F7B): the networks the module stored after a reject that
   * forbids them (EMM #11, TS 24.301 §5.5.1.2.5), as MCC+MNC; 12 bytes hold four.
   */
  fplmn: string[];
}

/** The radio in service. A personality prints it in its own encoding (27.007 <AcT>, words). */
export type SimRat = "gsm" | "umts" | "lte" | "lte-m" | "nb-iot";

export interface Network {
  /** 27.007 <stat> per domain: 1 home, 5 roaming, 2 searching, 0 idle, 3 denied. */
  cs: number;
  ps: number;
  eps: number;
  rat: SimRat;
  lac: number;
  tac: number;
  ci: number;
  pci: number;
  earfcn: number;
  band: number;
  mcc: string;
  mnc: string;
  longName: string;
  shortName: string;
  rssiDbm: number | null;
  rsrpDbm: number | null;
  rsrqDb: number | null;
  sinrDb: number | null;
  attached: boolean;
  /** The address the network gave the default bearer while attached. */
  ip: string;
  /** Minutes east of UTC the network announces (NITZ); null = no NITZ received. */
  nitzTzMinutes: number | null;
  /** PSM timers the network granted, as 24.008 GPRS timer octets in 8 binary digits; null = none. */
  psm: { activeTime: string; periodicTau: string } | null;
  /** The EMM cause of a registration reject (eps 3), when the network gave one. */
  rejectCause: number | null;
  /** What is wrong with the data path while registered and attached (none: data flows). */
  dataFault: DataFault;
  /** The USIM is invalid after an EMM reject (#3/#6/#7/#8, TS 24.301 §5.5.1.2.5) until the radio is cycled. */
  simInvalidUntilCfun: boolean;
  /** The module keeps searching (+CEREG: 2) on a network that would take it, until the radio is cycled. */
  searchingUntilCfun: boolean;
  /** Contexts other than the default bearer that the host activated (+CGACT=1,<cid>): each has an address while attached. */
  otherActive: number[];
  /**
   * The module's copy of EF_FPLMN, read when the radio comes on (TS 23.122 §3.1): automatic
   * selection never picks these, so a list cleared on the SIM counts only after a radio cycle.
   */
  forbidden: string[];
  /** The network chosen by hand (AT+COPS=1; TS 23.122 manual selection); null in automatic selection. */
  selected: string | null;
}

/**
 * Data-path faults seen in the field while the module stays registered, each fixed by one step:
 * `context-dropped` (+CGACT: 1,0, +CGPADDR 0.0.0.0) by re-activating or re-attaching;
 * `stale-address` (the context looks fine, the network forgot it) by a radio cycle or a reset;
 * `blackholed` (+CGATT: 1, an address, nothing passes) by a reset only.
 */
export type DataFault = "none" | "context-dropped" | "stale-address" | "blackholed";

export interface Settings {
  echo: boolean;
  cmee: 0 | 1 | 2;
  cfun: number;
  charset: string;
  cmgf: 0 | 1;
  /** +CSMS <service>: 1 = phase 2+, +CMT/+CDS must be acknowledged with +CNMA. */
  csms: 0 | 1;
  /** <n> of +CREG / +CGREG / +CEREG: 0 no URC, 1 stat, 2 + location, 3 + cause, 4/5 + PSM. */
  cregN: number;
  cgregN: number;
  ceregN: number;
  copsFormat: 0 | 1 | 2;
  copsMode: number;
  cnmi: [number, number, number, number, number];
  /** +CGEREP <mode>: 0 no +CGEV, 1/2 report. */
  cgerep: number;
  pdp: Array<{ cid: number; type: string; apn: string }>;
  /** Vendor settings a personality keeps (report modes, URC switches), by its own keys. */
  vendor: Record<string, number | string>;
}

export interface ModemWorld {
  sim: SimCard;
  net: Network;
  settings: Settings;
}

export function defaultNetwork(): Network {
  // A Twilio SIM roaming on T-Mobile US LTE: roaming is normal for these SIMs.
  return {
    cs: 5,
    ps: 5,
    eps: 5,
    rat: "lte",
    lac: 0x2d18,
    tac: 0x2d18,
    ci: 0x3089f02,
    pci: 187,
    earfcn: 66786,
    band: 66,
    mcc: "310",
    mnc: "260",
    longName: "T-Mobile",
    shortName: "TMO",
    rssiDbm: -71,
    rsrpDbm: -95,
    rsrqDb: -10,
    sinrDb: 12,
    attached: true,
    ip: "10.64.12.3",
    nitzTzMinutes: -480,
    psm: null,
    rejectCause: null,
    dataFault: "none",
    simInvalidUntilCfun: false,
    searchingUntilCfun: false,
    otherActive: [],
    forbidden: [],
    selected: null,
  };
}

/** What a module's settings are right after it boots; a personality overrides what its manual says. */
export function defaultSettings(over: Partial<Settings> = {}): Settings {
  return {
    echo: true,
    cmee: 1,
    cfun: 1,
    charset: "IRA",
    cmgf: 0,
    csms: 0,
    cregN: 0,
    cgregN: 0,
    ceregN: 0,
    copsFormat: 0,
    copsMode: 0,
    cgerep: 0,
    ...over,
    cnmi: [...(over.cnmi ?? [2, 1, 0, 0, 0])] as Settings["cnmi"],
    pdp: (over.pdp ?? [{ cid: 1, type: "IP", apn: "wireless.twilio.com" }]).map((c) => ({ ...c })),
    vendor: { ...over.vendor },
  };
}

/**
 * The module does not register on the network in range because of its own selection: locked by
 * hand to another one that rejects the SIM, or the serving one is on its forbidden list.
 */
export function selectionBars(w: ModemWorld): boolean {
  const serving = `${w.net.mcc}${w.net.mnc}`;
  return w.net.selected !== null ? w.net.selected !== serving : w.net.forbidden.includes(serving);
}

/**
 * A restart: the module attaches anew (whatever was wrong with the data path is gone), boots with
 * `settings`, and reads EF_FPLMN from the SIM again. A manual lock is kept, the worst case: on
 * modules that store +COPS in non-volatile memory a reset does not lift it.
 */
export function restarted(w: ModemWorld, settings: Settings): void {
  w.net.dataFault = "none";
  w.net.otherActive = [];
  w.net.forbidden = [...w.sim.fplmn];
  if (w.net.searchingUntilCfun) [w.net.searchingUntilCfun, w.net.eps, w.net.ps] = [false, 5, 5]; // a new search
  w.settings = settings;
  if (w.net.selected !== null) w.settings.copsMode = 1;
}

/** Registered (home or roaming, incl. SMS-only) in a domain. */
export const isRegistered = (stat: number) => [1, 5, 6, 7, 9, 10].includes(stat);
