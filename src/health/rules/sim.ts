import type { SimState } from "../../modem/index.js";
import type { Check, Rule } from "../types.js";

const HINTS: Partial<Record<SimState, [Check["status"], string]>> = {
  absent: ["fail", "insert the SIM (or reseat it: a SIM not detected also reads as absent)"],
  "sim-pin": ["fail", "the SIM is PIN-locked: give cellgate the PIN as a credential, or remove the PIN lock"],
  "sim-puk": ["fail", "the SIM is PUK-blocked after wrong PINs: unblock it with the PUK from the SIM's carrier"],
  failure: ["fail", "the SIM failed: reseat it, then replace it"],
  busy: ["warn", "the SIM is still initialising (normal for a few seconds after boot)"],
};

/** The SIM is present and unlocked (+CPIN: READY). */
export const simRule: Rule = ({ modem }) => {
  if ("error" in modem) return { id: "sim", status: "unknown", detail: "modem not reachable" };
  const s = modem.snapshot;
  if (s.sim === undefined) return { id: "sim", status: "unknown", detail: s.errors.sim?.message ?? "not read" };
  const iccid = s.identity?.iccid ? ` (ICCID ${s.identity.iccid})` : "";
  if (s.sim === "ready") return { id: "sim", status: "pass", detail: `ready${iccid}` };
  const [status, hint] = HINTS[s.sim] ?? ["fail", "the SIM needs a code cellgate does not have"];
  return { id: "sim", status, detail: `${s.sim}${iccid}`, hint };
};
