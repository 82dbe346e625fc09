/**
 * Names for the numeric +CME / +CMS ERROR codes (3GPP TS 27.007 §9.2, TS 27.005 §3.2.5),
 * the common vendor ones, and whether waiting and retrying can help. Used to make an error
 * message say what the number means and to decide retry-with-backoff vs fail.
 */
export interface ErrorCodeInfo {
  name: string;
  /** The condition is transient (SIM busy, network timeout, "retry later"). */
  retryable: boolean;
}

const r = (name: string): ErrorCodeInfo => ({ name, retryable: true });
const f = (name: string): ErrorCodeInfo => ({ name, retryable: false });

const CME: Record<number, ErrorCodeInfo> = {
  0: f("phone failure"),
  3: f("operation not allowed"),
  4: f("operation not supported"),
  5: f("PH-SIM PIN required"),
  10: f("SIM not inserted"),
  11: f("SIM PIN required"),
  12: f("SIM PUK required"),
  13: f("SIM failure"),
  14: r("SIM busy"),
  15: f("SIM wrong"),
  16: f("incorrect password"),
  17: f("SIM PIN2 required"),
  18: f("SIM PUK2 required"),
  20: f("memory full"),
  21: f("invalid index"),
  22: f("not found"),
  23: f("memory failure"),
  24: f("text string too long"),
  25: f("invalid characters in text string"),
  30: r("no network service"),
  31: r("network timeout"),
  32: f("network not allowed - emergency calls only"),
  100: f("unknown"),
  103: f("illegal MS"),
  106: f("illegal ME"),
  107: f("GPRS services not allowed"),
  111: f("PLMN not allowed"),
  112: f("location area not allowed"),
  113: f("roaming not allowed in this location area"),
  132: f("service option not supported"),
  133: f("requested service option not subscribed"),
  134: r("service option temporarily out of order"),
  148: f("unspecified GPRS error"),
  149: f("PDP authentication failure"),
  // Vendor: Wavecom/Sierra "please wait, init or command processing in progress".
  515: r("please wait, init or command processing in progress"),
};

const CMS: Record<number, ErrorCodeInfo> = {
  300: f("ME failure"),
  301: f("SMS service of ME reserved"),
  302: f("operation not allowed"),
  303: f("operation not supported"),
  304: f("invalid PDU mode parameter"),
  305: f("invalid text mode parameter"),
  310: f("SIM not inserted"),
  311: f("SIM PIN required"),
  312: f("PH-SIM PIN required"),
  313: f("SIM failure"),
  314: r("SIM busy"),
  315: f("SIM wrong"),
  316: f("SIM PUK required"),
  320: f("memory failure"),
  321: f("invalid memory index"),
  322: f("memory full"),
  330: f("SMSC address unknown"),
  331: r("no network service"),
  332: r("network timeout"),
  340: f("no +CNMA acknowledgement expected"),
  500: f("unknown error"),
  // Vendor (smstools3's table): radio / lower-layer failures, worth a retry.
  512: r("SMS rejected by the network or lower layer failure"),
  513: r("lower layer failure: acknowledgement timed out or radio link lost"),
  514: r("network error sending the SMS"),
};

export function cmeInfo(code: number): ErrorCodeInfo | undefined {
  return CME[code];
}

export function cmsInfo(code: number): ErrorCodeInfo | undefined {
  return CMS[code];
}

/** ModemManager's normalisation of text errors: lower case, letters and digits only. */
export function normalizeErrorText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const RETRYABLE_TEXT = new Set(["simbusy", "networktimeout", "nonetworkservice", "nonetwork"]);

export function isRetryableText(text: string): boolean {
  return RETRYABLE_TEXT.has(normalizeErrorText(text));
}
