// The nRF9160's SMS commands (§10 of the AT Commands Reference Guide; see nordic-nrf9160.ts): no
// storage, one AT SMS client registered by +CNMI, messages routed as +CMT and acknowledged by +CNMA.
import { cmgf, cmgs, cnma, cnmi, cpms } from "../at-handlers/sms.js";
import { args, ERROR, ok, OK, type CommandDef, type CommandTable } from "../at-handlers/types.js";
import { clientGate, epsOnly, gated, served } from "./nordic-nrf9160-state.js";

/** §10.2 [IC cnmi_set]: mode 0/3, mt 0/2 (2 = +CMT), bm ignored, ds 0/1, mt and ds both on or both off. */
function cnmiAccepts(v: readonly number[]): boolean {
  const [mode, mt = 0, bm = 0, ds = 0, bfr = 1] = v;
  if (v.length > 5 || (mode !== 0 && mode !== 3) || (mt !== 0 && mt !== 2) || (ds !== 0 && ds !== 1)) return false;
  if ((mt === 2) !== (ds === 1) || (mode === 0 && mt !== 0)) return false;
  return bm >= 0 && bm <= 3 && (bfr === 0 || bfr === 1);
}

/** §10.6 [IC cnma_set]: `AT+CNMA=<n>` or `AT+CNMA=<n>,<length><CR><pdu><Ctrl-Z>` (no prompt, ESC cancels). */
function cnmaCommand(): CommandDef {
  const base = cnma();
  return {
    ...base,
    write: (a, ctx) => {
      const [n, length] = args(a);
      if (length === undefined || length === "") return base.write!(a, ctx);
      if (!["0", "1", "2"].includes(n ?? "") || !/^\d{1,3}$/.test(length)) return ERROR;
      return { prompt: () => (ctx.acknowledge(n !== "2") ? OK : ctx.p.sms.unexpectedAck) };
    },
  };
}

export function smsCommands(): CommandTable {
  return {
    "+CMGF": gated(cmgf({ text: false }), clientGate, ["read", "write"]), // §10.1: PDU only, registered client only
    "+CNMI": cnmi({ test: null, accepts: cnmiAccepts }), // §10.2: test not supported; register with 3,2,0,1
    "+CNMA": gated(cnmaCommand(), clientGate, ["exec", "write"]), // §10.6/§10.7: registered client only
    "+CPMS": cpms(), // §10.8: only "MT", capacity 0
    // §10.3: no "> " prompt, the PDU follows the line's CR in the same write; registered client only.
    "+CMGS": gated(epsOnly(cmgs({ maxTpdu: 164 })), (c) => clientGate(c) ?? (served(c) ? undefined : { cms: 331 })),
    "+CGSMS": { read: () => ok("+CGSMS: 1"), test: () => ok("+CGSMS: (1)"), write: (a) => (a === "1" ? OK : ERROR) }, // §10.10
    "%XSMMA": { exec: () => OK }, // §10.11: memory available again (the network's hold after RP-ERROR 22 is not simulated)
  };
}
