import type { Rule } from "../types.js";

export const DEFAULT_APN = { "programmable-wireless": "wireless.twilio.com", "super-sim": "super" } as const;

/** The context in use has the product's APN (a wrong APN attaches on some networks and passes no data). */
export const apnRule: Rule = ({ modem, product, apn }) => {
  if (product === undefined && apn === undefined) return null;
  const expected = apn ?? DEFAULT_APN[product ?? "programmable-wireless"];
  if ("error" in modem) return { id: "apn", status: "unknown", detail: "modem not reachable" };
  const pdp = modem.snapshot.pdp;
  if (pdp === undefined)
    return { id: "apn", status: "unknown", detail: modem.snapshot.errors.pdp?.message ?? "PDP contexts not read" };
  const active = pdp.find((c) => c.address !== undefined) ?? pdp[0];
  if (active === undefined)
    return { id: "apn", status: "warn", detail: "no PDP context defined", hint: `define one: AT+CGDCONT=1,"IP","${expected}"` };
  if (active.apn.toLowerCase() === expected.toLowerCase() || active.apn.toLowerCase().startsWith(`${expected.toLowerCase()}.mnc`))
    return { id: "apn", status: "pass", detail: `context ${active.cid} uses ${active.apn}` };
  return {
    id: "apn",
    status: "warn",
    detail: `context ${active.cid} uses APN "${active.apn || "(empty)"}", expected ${expected}`,
    hint: `set the APN to ${expected}: AT+CGDCONT=${active.cid},"IP","${expected}" (sim.apn in the config if yours differs)`,
  };
};
