import type { AccessTech } from "../types.js";

// 3GPP TS 27.007 <AcT>, as used by +COPS and the registration commands.
const ACT: readonly AccessTech[] = [
  "gsm",
  "gsm-compact",
  "umts",
  "edge",
  "hsdpa",
  "hsupa",
  "hspa",
  "lte",
  "ec-gsm-iot",
  "nb-iot",
  "lte-5gcn",
  "nr-5gcn",
  "ng-ran",
  "en-dc",
];

export function accessTech(n: number | undefined): AccessTech | undefined {
  return n === undefined || !Number.isInteger(n) ? undefined : ACT[n];
}
