import type { Rule } from "../types.js";

/** Attached to packet data, with an active context (its APN and address). */
export const attachRule: Rule = ({ modem }) => {
  if ("error" in modem) return { id: "attach", status: "unknown", detail: "modem not reachable" };
  const s = modem.snapshot;
  if (s.attached === undefined) return { id: "attach", status: "unknown", detail: s.errors.attached?.message ?? "not read" };
  const ctx = s.pdp?.find((c) => c.address !== undefined) ?? s.pdp?.[0];
  const apn = ctx ? `APN ${ctx.apn || "(empty)"}${ctx.address ? `, IP ${ctx.address}` : ""}` : "no PDP context defined";
  if (s.attached) return { id: "attach", status: "pass", detail: `attached, ${apn}` };
  const registered = Object.values(s.registration).some((r) => r?.registered);
  return {
    id: "attach",
    status: "fail",
    detail: `not attached to packet data, ${apn}`,
    hint: registered
      ? "registered but no data: check the APN (wireless.twilio.com for Programmable Wireless, super for Super SIM) and " +
        "that data is enabled on the SIM's rate plan"
      : "no data without registration: see the registration check",
  };
};
