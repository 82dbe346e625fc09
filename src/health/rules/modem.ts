import type { Rule } from "../types.js";

/** The modem is there and answers AT. */
export const modemRule: Rule = ({ modem }) => {
  if ("error" in modem) {
    const missing = modem.error.code === "CG_ERR_LINK_OPEN" || modem.error.code === "CG_ERR_LINK_LOST";
    return {
      id: "modem",
      status: "fail",
      detail: modem.error.message,
      hint: missing
        ? "check the modem is powered and enumerated (ls /dev/serial/by-id) and that ModemManager is not holding its AT port"
        : "the modem does not answer AT: it may need a power cycle",
    };
  }
  const id = modem.snapshot.identity;
  if (!modem.snapshot.answering) {
    const why = Object.values(modem.snapshot.errors)[0]?.message ?? "no answer";
    return {
      id: "modem",
      status: "fail",
      detail: `${id ? `${id.manufacturer} ${id.model} ` : ""}not answering: ${why}`,
      hint: "the modem does not answer AT: cellgate is recovering it; if this lasts, power-cycle it",
    };
  }
  if (id === undefined) {
    return {
      id: "modem",
      status: "fail",
      detail: modem.snapshot.errors.identity?.message ?? "no identity",
      hint: "the modem does not answer AT: it may need a power cycle",
    };
  }
  return {
    id: "modem",
    status: "pass",
    detail: `${id.manufacturer} ${id.model} answering (IMEI ${id.imei}, firmware ${id.revision})`,
  };
};
