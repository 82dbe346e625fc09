/**
 * The +CME ERROR (3GPP TS 27.007 §9.2) and +CMS ERROR (TS 27.005 §3.2.5, with the RP-causes of
 * TS 24.011 §E.2 and the TP-FCS values of TS 23.040 §9.2.3.22 it includes) tables, both ways: a
 * number gives its name and whether retrying can help, and a verbose text gives its number. A
 * modem in +CMEE=2 (or one that prints text whatever +CMEE says) then reports the same error as
 * one in +CMEE=1.
 */
export interface ErrorCodeInfo {
  name: string;
  /** The condition is transient (SIM busy, network timeout, "retry later"). */
  retryable: boolean;
}

type Table = Readonly<Record<number, string>>;

// 27.007 §9.2.1 general errors, §9.2.2 GPRS and EPS errors (network cause in the comments).
const CME_NAMES: Table = {
  0: "phone failure",
  1: "no connection to phone",
  2: "phone-adaptor link reserved",
  3: "operation not allowed",
  4: "operation not supported",
  5: "PH-SIM PIN required",
  6: "PH-FSIM PIN required",
  7: "PH-FSIM PUK required",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  15: "SIM wrong",
  16: "incorrect password",
  17: "SIM PIN2 required",
  18: "SIM PUK2 required",
  20: "memory full",
  21: "invalid index",
  22: "not found",
  23: "memory failure",
  24: "text string too long",
  25: "invalid characters in text string",
  26: "dial string too long",
  27: "invalid characters in dial string",
  30: "no network service",
  31: "network timeout",
  32: "network not allowed - emergency calls only",
  40: "network personalization PIN required",
  41: "network personalization PUK required",
  42: "network subset personalization PIN required",
  43: "network subset personalization PUK required",
  44: "service provider personalization PIN required",
  45: "service provider personalization PUK required",
  46: "corporate personalization PIN required",
  47: "corporate personalization PUK required",
  48: "hidden key required",
  49: "EAP method not supported",
  50: "incorrect parameters",
  51: "command implemented but currently disabled",
  52: "command aborted by user",
  53: "not attached to network due to MT functionality restrictions",
  54: "modem not allowed - MT restricted to emergency calls only",
  55: "operation not allowed because of MT functionality restrictions",
  56: "fixed dial number only allowed - called number is not a fixed dial number",
  57: "temporarily out of service due to other MT usage",
  58: "language/alphabet not supported",
  59: "unexpected data value",
  60: "system failure",
  61: "data missing",
  62: "call barred",
  63: "message waiting indication subscription failure",
  100: "unknown",
  // §9.2.2.1, attach and registration; the network's EMM/GMM cause in the comments.
  102: "IMSI unknown in HSS", // #2
  103: "illegal MS", // #3
  104: "IMSI unknown in VLR", // #4
  105: "IMEI not accepted", // #5
  106: "illegal ME", // #6
  107: "GPRS services not allowed", // #7
  108: "GPRS services and non-GPRS services not allowed", // #8
  109: "UE identity cannot be derived by the network", // #9
  110: "implicitly detached", // #10
  111: "PLMN not allowed", // #11
  112: "location area not allowed", // #12
  113: "roaming not allowed in this location area", // #13
  114: "GPRS services not allowed in this PLMN", // #14
  115: "no suitable cells in location area", // #15
  116: "MSC temporarily not reachable", // #16
  117: "network failure", // #17
  118: "CS domain not available", // #18
  119: "ESM failure", // #19
  122: "congestion", // #22
  124: "MBMS bearer capabilities insufficient for the service", // #24
  125: "not authorized for this CSG", // #25
  // §9.2.2.2, PDP context / PDN connection activation; the ESM/SM cause in the comments.
  126: "insufficient resources", // #26
  127: "missing or unknown APN", // #27
  128: "unknown PDP address or PDP type", // #28
  129: "user authentication failed", // #29
  130: "activation rejected by GGSN, Serving GW or PDN GW", // #30
  131: "activation rejected, unspecified", // #31
  132: "service option not supported", // #32
  133: "requested service option not subscribed", // #33
  134: "service option temporarily out of order", // #34
  135: "NSAPI or PTI already in use", // #35
  136: "regular deactivation", // #36
  137: "QoS not accepted", // #37
  138: "call cannot be identified", // #38
  139: "CS service temporarily not available", // #39
  140: "feature not supported", // #40
  141: "semantic error in the TFT operation", // #41
  142: "syntactical error in the TFT operation", // #42
  143: "unknown PDP context", // #43
  144: "semantic errors in packet filter(s)", // #44
  145: "syntactical errors in packet filter(s)", // #45
  146: "PDP context without TFT already activated", // #46
  147: "multicast group membership time-out", // #47
  148: "unspecified GPRS error",
  149: "PDP authentication failure",
  150: "invalid mobile class",
  151: "last PDN disconnection not allowed (legacy)",
  171: "last PDN disconnection not allowed", // #49
  172: "semantically incorrect message", // #95
  173: "invalid mandatory information", // #96
  174: "message type non-existent or not implemented", // #97
  175: "conditional IE error", // #100
  176: "protocol error, unspecified", // #111
  177: "operator determined barring", // #8
  178: "maximum number of PDP contexts reached", // #65
  179: "requested APN not supported in current RAT and PLMN combination", // #66
  180: "request rejected, bearer control mode violation", // #48
  181: "unsupported QCI or 5QI value", // #83
  182: "user data transmission via control plane is congested",
  183: "SMS provided via GPRS in this routing area",
  184: "invalid PTI value",
  185: "no bearer activated",
  186: "message not compatible with protocol state",
  187: "recovery on timer expiry",
  188: "invalid transaction identifier value",
  189: "service option not authorized in this PLMN",
  190: "network failure (activation)",
  191: "reactivation requested",
  192: "IPv4 only allowed",
  193: "IPv6 only allowed",
  194: "single address bearers only allowed",
  195: "collision with network initiated request",
  196: "IPv4v6 only allowed",
  197: "non-IP only allowed",
  198: "bearer handling not supported",
  199: "APN restriction value incompatible with active PDP context",
  200: "multiple accesses to a PDN connection not allowed",
  201: "ESM information not received",
  202: "PDN connection does not exist",
  203: "multiple PDN connections for a given APN not allowed",
  204: "severe network failure",
  205: "insufficient resources for specific slice and DNN",
  206: "not supported SSC mode",
  207: "insufficient resources for specific slice",
  208: "message type not compatible with the protocol state",
  209: "information element non-existent or not implemented",
  210: "N1 mode not allowed",
  211: "restricted service area",
  212: "LADN not available",
  213: "missing or unknown DNN in a slice",
  214: "ngKSI already in use",
  215: "payload was not forwarded",
  216: "non-3GPP access to 5GCN not allowed",
  217: "serving network not authorized",
  218: "DNN not supported or not subscribed in the slice",
  219: "insufficient user-plane resources for the PDU session",
  220: "out of LADN service area",
  221: "PTI mismatch",
  222: "maximum data rate per UE for user-plane integrity protection is too low",
  223: "semantic error in the QoS operation",
  224: "syntactical error in the QoS operation",
  225: "invalid mapped EPS bearer identity",
  226: "redirection to 5GCN required",
  227: "redirection to EPC required",
  228: "temporarily not authorized for this SNPN",
  229: "permanently not authorized for this SNPN",
  230: "Ethernet only allowed",
  231: "not authorized for this CAG or authorized for CAG cells only",
  232: "no network slices available",
  233: "wireline access area not allowed",
};

// 27.005 §3.2.5: 0..127 are TS 24.011 §E.2 RP-causes, 128..255 TS 23.040 §9.2.3.22 TP-FCS values.
const CMS_NAMES: Table = {
  1: "unassigned (unallocated) number",
  8: "operator determined barring",
  10: "call barred",
  21: "short message transfer rejected",
  22: "memory capacity exceeded",
  27: "destination out of order",
  28: "unidentified subscriber",
  29: "facility rejected",
  30: "unknown subscriber",
  38: "network out of order",
  41: "temporary failure",
  42: "congestion",
  47: "resources unavailable, unspecified",
  50: "requested facility not subscribed",
  69: "requested facility not implemented",
  81: "invalid short message transfer reference value",
  95: "semantically incorrect message",
  96: "invalid mandatory information",
  97: "message type non-existent or not implemented",
  98: "message not compatible with short message protocol state",
  99: "information element non-existent or not implemented",
  111: "protocol error, unspecified",
  127: "interworking, unspecified",
  128: "telematic interworking not supported",
  129: "short message type 0 not supported",
  130: "cannot replace short message",
  143: "unspecified TP-PID error",
  144: "data coding scheme (alphabet) not supported",
  145: "message class not supported",
  159: "unspecified TP-DCS error",
  160: "command cannot be actioned",
  161: "command unsupported",
  175: "unspecified TP-Command error",
  176: "TPDU not supported",
  192: "SC busy",
  193: "no SC subscription",
  194: "SC system failure",
  195: "invalid SME address",
  196: "destination SME barred",
  197: "SM rejected - duplicate SM",
  198: "TP-VPF not supported",
  199: "TP-VP not supported",
  208: "(U)SIM SMS storage full",
  209: "no SMS storage capability in (U)SIM",
  210: "error in MS",
  211: "memory capacity exceeded",
  212: "(U)SIM application toolkit busy",
  213: "(U)SIM data download error",
  255: "unspecified error cause",
  300: "ME failure",
  301: "SMS service of ME reserved",
  302: "operation not allowed",
  303: "operation not supported",
  304: "invalid PDU mode parameter",
  305: "invalid text mode parameter",
  310: "(U)SIM not inserted",
  311: "(U)SIM PIN required",
  312: "PH-(U)SIM PIN required",
  313: "(U)SIM failure",
  314: "(U)SIM busy",
  315: "(U)SIM wrong",
  316: "(U)SIM PUK required",
  317: "(U)SIM PIN2 required",
  318: "(U)SIM PUK2 required",
  320: "memory failure",
  321: "invalid memory index",
  322: "memory full",
  330: "SMSC address unknown",
  331: "no network service",
  332: "network timeout",
  340: "no +CNMA acknowledgement expected",
  500: "unknown error",
};

// Manufacturer codes (27.005 reserves 512 and up for them) seen on the modules cellgate meets.
const CMS_VENDOR: Table = {
  512: "SMS rejected by the network or lower layer failure",
  513: "lower layer failure: acknowledgement timed out or radio link lost",
  514: "network error sending the SMS",
  524: "SMS acknowledgement timed out: reception stopped until +CNMI is set again",
};
const CME_VENDOR: Table = {
  // Wavecom/Sierra and several Qualcomm-based modules while booting.
  515: "please wait, init or command processing in progress",
};

const RETRYABLE_CME = new Set([14, 30, 31, 57, 122, 126, 134, 157, 158, 159, 182, 515]);
const RETRYABLE_CMS = new Set([38, 41, 42, 47, 192, 314, 331, 332, 512, 513, 514]);

function info(names: Table, vendor: Table, retryable: ReadonlySet<number>, code: number): ErrorCodeInfo | undefined {
  const name = names[code] ?? vendor[code];
  return name === undefined ? undefined : { name, retryable: retryable.has(code) };
}

export function cmeInfo(code: number): ErrorCodeInfo | undefined {
  return info(CME_NAMES, CME_VENDOR, RETRYABLE_CME, code);
}

export function cmsInfo(code: number): ErrorCodeInfo | undefined {
  return info(CMS_NAMES, CMS_VENDOR, RETRYABLE_CMS, code);
}

/** ModemManager's normalisation of text errors: lower case, letters and digits only. */
export function normalizeErrorText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

// Texts modules print that differ from the standard's wording, mapped to the standard code.
const CME_SYNONYMS: Readonly<Record<string, number>> = {
  unknownerror: 100,
  simbusy: 14,
  phsimpinrequired: 5,
  nonetwork: 30,
  operationtemporarilynotallowed: 3,
  invalidparameter: 50,
  invalidparameters: 50,
};
const CMS_SYNONYMS: Readonly<Record<string, number>> = {
  simnotinserted: 310,
  simpinrequired: 311,
  phsimpinrequired: 312,
  simfailure: 313,
  simbusy: 314,
  simwrong: 315,
  simpukrequired: 316,
  simpin2required: 317,
  simpuk2required: 318,
  unknown: 500,
};

function byText(names: Table, synonyms: Readonly<Record<string, number>>): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  // Later entries never replace earlier ones: "congestion" is 122 (#22) before 157.
  for (const [code, name] of Object.entries(names)) {
    const key = normalizeErrorText(name);
    if (!m.has(key)) m.set(key, Number(code));
  }
  for (const [key, code] of Object.entries(synonyms)) if (!m.has(key)) m.set(key, code);
  return m;
}

const CME_BY_TEXT = byText({ ...CME_NAMES, ...CME_VENDOR }, CME_SYNONYMS);
const CMS_BY_TEXT = byText({ ...CMS_NAMES, ...CMS_VENDOR }, CMS_SYNONYMS);

/** The standard number of a verbose +CME ERROR text ("operation not supported" → 4), if known. */
export function cmeCodeOf(text: string): number | undefined {
  return CME_BY_TEXT.get(normalizeErrorText(text));
}

/** The standard number of a verbose +CMS ERROR text ("memory full" → 322), if known. */
export function cmsCodeOf(text: string): number | undefined {
  return CMS_BY_TEXT.get(normalizeErrorText(text));
}

const RETRYABLE_TEXT = new Set(["simbusy", "networktimeout", "nonetworkservice", "nonetwork"]);

export function isRetryableText(text: string): boolean {
  return RETRYABLE_TEXT.has(normalizeErrorText(text));
}
