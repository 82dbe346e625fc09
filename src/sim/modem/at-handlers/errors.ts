// The words 27.007 §9.2 and 27.005 §3.2.5 give the errors a simulated module raises, for +CMEE=2.
// The simulator keeps its own copy: it must not share the engine's table, so a wrong entry on one
// side cannot hide behind the same entry on the other.
const CME: Readonly<Record<number, string>> = {
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  16: "incorrect password",
  30: "no network service",
  50: "Incorrect parameters",
  100: "unknown",
};

const CMS: Readonly<Record<number, string>> = {
  300: "ME failure",
  302: "operation not allowed",
  303: "operation not supported",
  304: "invalid PDU mode parameter",
  310: "SIM not inserted",
  311: "SIM PIN required",
  321: "invalid memory index",
  322: "memory full",
  331: "no network service",
  340: "no +CNMA acknowledgement expected",
  500: "unknown error",
};

export function standardErrorText(kind: "cme" | "cms", code: number): string {
  return (kind === "cme" ? CME : CMS)[code] ?? "unknown";
}
