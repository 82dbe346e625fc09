import { MEMORIES, STAT_TEXT, type Memory, type MessageStat } from "../sms-store.js";
import { inService } from "./network.js";
import { args, ERROR, ok, OK, type CommandDef, type Ctx, type Result } from "./types.js";

const TEXT_STAT: Record<string, MessageStat | 4> = { "REC UNREAD": 0, "REC READ": 1, "STO UNSENT": 2, "STO SENT": 3, ALL: 4 };

/** Octets of the TPDU: the whole PDU minus the SMSC length octet and the SMSC itself (27.005 §3.1 <length>). */
export function tpduLength(pdu: string): number {
  const smscLen = Number.parseInt(pdu.slice(0, 2), 16);
  return pdu.length / 2 - 1 - (Number.isNaN(smscLen) ? 0 : smscLen);
}

function smsGate(ctx: Ctx): Result | undefined {
  if (!ctx.world.sim.present) return { cms: 310 };
  if (!ctx.world.sim.unlocked) return { cms: 311 };
  return undefined;
}

/** The memories the module has (a module with no storage may still list "MT" with room for 0). */
export function memories(ctx: Ctx): Memory[] {
  return MEMORIES.filter((m) => ctx.p.sms.memories[m] !== undefined);
}

/** +CMGF (27.005 §3.2.3): PDU mode, and text mode where the module has it. */
export function cmgf(o: { text: boolean }): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CMGF: ${ctx.world.settings.cmgf}`),
    test: () => ok(o.text ? "+CMGF: (0,1)" : "+CMGF: (0)"),
    write: (a, ctx) => {
      if (a !== "0" && !(o.text && a === "1")) return ERROR;
      ctx.world.settings.cmgf = Number(a) as 0 | 1;
      return OK;
    },
  };
}

/** +CSMS (27.005 §3.2.1): service 1 makes +CMT/+CDS need a +CNMA. */
export function csms(): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CSMS: ${ctx.world.settings.csms},1,1,1`),
    test: () => ok("+CSMS: (0,1)"),
    write: (a, ctx) => {
      if (a !== "0" && a !== "1") return ERROR;
      ctx.world.settings.csms = Number(a) as 0 | 1;
      return ok("+CSMS: 1,1,1");
    },
  };
}

/** +CSCA? (27.005 §3.3.1). */
export function csca(number = "+12063130004"): CommandDef {
  return { read: (_a, ctx) => smsGate(ctx) ?? ok(`+CSCA: "${number}",145`) };
}

function cpmsState(ctx: Ctx): string {
  return ctx.mems.map((m) => `"${m}",${ctx.store.used(m)},${ctx.store.capacity(m)}`).join(",");
}

/** +CPMS (27.005 §3.2.2) over the memories the personality has. */
export function cpms(): CommandDef {
  return {
    read: (_a, ctx) => smsGate(ctx) ?? ok(`+CPMS: ${cpmsState(ctx)}`),
    test: (_a, ctx) => {
      const list = `(${memories(ctx)
        .map((m) => `"${m}"`)
        .join(",")})`;
      return ok(`+CPMS: ${list},${list},${list}`);
    },
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const want = args(a).map((m) => m.toUpperCase());
      const have = memories(ctx) as string[];
      if (want.length === 0 || want.length > 3 || want.some((m) => !have.includes(m))) return { cms: 302 };
      want.forEach((m, i) => (ctx.mems[i] = m as Memory));
      return ok(`+CPMS: ${ctx.mems.map((m) => `${ctx.store.used(m)},${ctx.store.capacity(m)}`).join(",")}`);
    },
  };
}

/** +CNMI (27.005 §3.4.1): `accepts` is the module's rule on which combinations it takes. */
export function cnmi(o: { test: string | null; accepts: (v: readonly number[]) => boolean }): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CNMI: ${ctx.world.settings.cnmi.join(",")}`),
    ...(o.test !== null ? { test: () => ok(o.test!) } : {}),
    write: (a, ctx) => {
      const v = args(a).map((x) => (x === "" ? 0 : Number(x)));
      if (v.some((x) => !Number.isInteger(x)) || !o.accepts(v)) return ERROR;
      const cur = ctx.world.settings.cnmi;
      ctx.world.settings.cnmi = [0, 1, 2, 3, 4].map((i) => v[i] ?? cur[i]!) as typeof cur;
      ctx.routingChanged();
      return OK;
    },
  };
}

/** +CNMA (27.005 §3.4.4, PDU mode <n> 0/1/2): acknowledges the +CMT/+CDS the network waits for. */
export function cnma(): CommandDef {
  return {
    exec: (_a, ctx) => (ctx.acknowledge(true) ? OK : ctx.p.sms.unexpectedAck),
    write: (a, ctx) => {
      const [n, length] = args(a);
      if (!["0", "1", "2"].includes(n ?? "") || (length !== undefined && length !== "")) return ERROR;
      return ctx.acknowledge(n !== "2") ? OK : ctx.p.sms.unexpectedAck;
    },
    test: () => ok("+CNMA: (0-2)"),
  };
}

function listing(ctx: Ctx, index: number, stat: MessageStat, pdu: string, cmd: "+CMGL" | "+CMGR"): string[] {
  const msg = ctx.store.get(ctx.mems[0], index)!;
  if (ctx.world.settings.cmgf === 0) {
    const head = cmd === "+CMGL" ? `+CMGL: ${index},${stat},,${tpduLength(pdu)}` : `+CMGR: ${stat},,${tpduLength(pdu)}`;
    return [head, pdu];
  }
  const t = msg.text ?? { address: "", scts: "", body: pdu };
  const head =
    cmd === "+CMGL"
      ? `+CMGL: ${index},"${STAT_TEXT[stat]}","${t.address}",,"${t.scts}"`
      : `+CMGR: "${STAT_TEXT[stat]}","${t.address}",,"${t.scts}"`;
  return [head, t.body];
}

/** Reading a received unread message marks it read (27.005 §3.4.2). */
function markRead(ctx: Ctx, index: number): void {
  const m = ctx.store.get(ctx.mems[0], index);
  if (m !== undefined && m.stat === 0) m.stat = 1;
}

/** +CMGL (27.005 §3.4.2). The other mode's form (`"ALL"` in PDU mode, `4` in text mode) is an ERROR. */
export function cmgl(): CommandDef {
  return {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const pdu = ctx.world.settings.cmgf === 0;
      const stat = pdu ? (/^[0-4]$/.test(a) ? (Number(a) as MessageStat | 4) : undefined) : TEXT_STAT[args(a)[0]!.toUpperCase()];
      if (stat === undefined || (pdu && a.startsWith('"'))) return ERROR;
      const lines = ctx.store.list(ctx.mems[0], stat).flatMap(([i, m]) => {
        const out = listing(ctx, i, m.stat, m.pdu, "+CMGL");
        markRead(ctx, i);
        return out;
      });
      return ok(...lines);
    },
    test: (_a, ctx) =>
      ok(ctx.world.settings.cmgf === 0 ? "+CMGL: (0-4)" : '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'),
  };
}

/** +CMGR (27.005 §3.4.3): an empty slot reads as a bare OK. */
export function cmgr(): CommandDef {
  return {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const i = Number(a);
      if (!ctx.store.inRange(ctx.mems[0], i)) return { cms: 321 };
      const m = ctx.store.get(ctx.mems[0], i);
      if (m === undefined) return OK;
      const lines = listing(ctx, i, m.stat, m.pdu, "+CMGR");
      markRead(ctx, i);
      return ok(...lines);
    },
    test: () => OK,
  };
}

/** +CMGD (27.005 §3.5.4): by index, or by <delflag> 1–4. */
export function cmgd(): CommandDef {
  return {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const [index, flag] = args(a).map((x) => (x === "" ? undefined : Number(x)));
      if (flag !== undefined && flag >= 1 && flag <= 4) {
        ctx.store.deleteByFlag(ctx.mems[0], flag as 1 | 2 | 3 | 4);
        ctx.storageFreed();
        return OK;
      }
      if (index === undefined || !ctx.store.inRange(ctx.mems[0], index)) return { cms: 321 };
      ctx.store.delete(ctx.mems[0], index);
      ctx.storageFreed();
      return OK;
    },
    test: (_a, ctx) =>
      ok(
        `+CMGD: (${ctx.store
          .list(ctx.mems[0], 4)
          .map(([i]) => i)
          .join(",")}),(0-4)`,
      ),
  };
}

/** +CMGS (27.005 §3.5.1): PDU mode `<length>`, the PDU after the prompt (or right after the line). */
export function cmgs(o: { maxTpdu: number }): CommandDef {
  return {
    write: (a, ctx) => smsGate(ctx) ?? (ctx.world.settings.cmgf === 0 ? sendPdu(a, ctx, o.maxTpdu) : sendText(a, ctx)),
  };
}

function sendPdu(a: string, ctx: Ctx, maxTpdu: number): Result {
  const length = Number(a);
  if (!Number.isInteger(length) || length < 7 || length > maxTpdu) return { cms: 304 };
  return {
    prompt: (payload) => {
      const pdu = payload.trim().toUpperCase();
      if (!/^([0-9A-F]{2})+$/.test(pdu) || tpduLength(pdu) !== length) return { cms: 304 };
      return submit(ctx, { pdu });
    },
  };
}

function sendText(a: string, ctx: Ctx): Result {
  const to = args(a)[0] ?? "";
  if (to === "") return { cms: 304 };
  return { prompt: (body) => submit(ctx, { text: { to, body } }) };
}

function submit(ctx: Ctx, sms: { pdu: string } | { text: { to: string; body: string } }): Result {
  if (!inService(ctx)) return { cms: 331 };
  const mr = ctx.nextMr();
  const sent = { ...sms, mr };
  ctx.sent.push(sent);
  ctx.smsSent(sent);
  return ok(`+CMGS: ${mr}`);
}
