import { MEMORIES, STAT_TEXT, type Memory, type MessageStat } from "../sms-store.js";
import { isRegistered } from "../state.js";
import { statOf } from "./network.js";
import { args, ERROR, ok, OK, type CommandTable, type Ctx, type Result } from "./types.js";

const TEXT_STAT: Record<string, MessageStat | 4> = { "REC UNREAD": 0, "REC READ": 1, "STO UNSENT": 2, "STO SENT": 3, ALL: 4 };

/** Octets of the TPDU: the whole PDU minus the SMSC length octet and the SMSC itself. */
function tpduLength(pdu: string): number {
  const smscLen = Number.parseInt(pdu.slice(0, 2), 16);
  return pdu.length / 2 - 1 - (Number.isNaN(smscLen) ? 0 : smscLen);
}

function smsGate(ctx: Ctx): Result | undefined {
  if (!ctx.world.sim.present) return { cms: 310 };
  if (!ctx.world.sim.unlocked) return { cms: 311 };
  return undefined;
}

function cpmsState(ctx: Ctx): string {
  return ctx.mems.map((m) => `"${m}",${ctx.store.used(m)},${ctx.store.capacity(m)}`).join(",");
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

export const smsCommands: CommandTable = {
  "+CMGF": {
    read: (_a, ctx) => ok(`+CMGF: ${ctx.world.settings.cmgf}`),
    test: () => ok("+CMGF: (0,1)"),
    write: (a, ctx) => (a === "0" || a === "1" ? ((ctx.world.settings.cmgf = Number(a) as 0 | 1), OK) : { cms: 302 }),
  },
  "+CSMS": { read: () => ok("+CSMS: 0,1,1,1") },
  "+CSCA": { read: (_a, ctx) => smsGate(ctx) ?? ok('+CSCA: "+12063130004",145') },
  "+CNMI": {
    read: (_a, ctx) => ok(`+CNMI: ${ctx.world.settings.cnmi.join(",")}`),
    test: () => ok("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"),
    write: (a, ctx) => {
      const v = args(a).map((x) => (x === "" ? 0 : Number(x)));
      if (v.some((x) => !Number.isInteger(x) || x < 0 || x > 3)) return { cms: 303 };
      const cur = ctx.world.settings.cnmi;
      ctx.world.settings.cnmi = [0, 1, 2, 3, 4].map((i) => v[i] ?? cur[i]!) as typeof cur;
      return OK;
    },
  },
  "+CPMS": {
    read: (_a, ctx) => smsGate(ctx) ?? ok(`+CPMS: ${cpmsState(ctx)}`),
    test: () =>
      ok(
        `+CPMS: (${MEMORIES.map((m) => `"${m}"`).join(",")}),(${MEMORIES.map((m) => `"${m}"`).join(",")}),(${MEMORIES.map((m) => `"${m}"`).join(",")})`,
      ),
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const want = args(a).map((m) => m.toUpperCase());
      if (want.length === 0 || want.length > 3 || want.some((m) => !MEMORIES.includes(m as Memory))) return { cms: 302 };
      want.forEach((m, i) => (ctx.mems[i] = m as Memory));
      return ok(`+CPMS: ${ctx.mems.map((m) => `${ctx.store.used(m)},${ctx.store.capacity(m)}`).join(",")}`);
    },
  },
  "+CMGL": {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const pdu = ctx.world.settings.cmgf === 0;
      const stat = pdu ? (/^[0-4]$/.test(a) ? (Number(a) as MessageStat | 4) : undefined) : TEXT_STAT[args(a)[0]!.toUpperCase()];
      // The other mode's form (`"ALL"` in PDU mode, `4` in text mode) is an ERROR (python-gsmmodem).
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
  },
  "+CMGR": {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const i = Number(a);
      if (!ctx.store.inRange(ctx.mems[0], i)) return { cms: 321 };
      const m = ctx.store.get(ctx.mems[0], i);
      if (m === undefined) return OK; // an empty slot reads as nothing
      const lines = listing(ctx, i, m.stat, m.pdu, "+CMGR");
      markRead(ctx, i);
      return ok(...lines);
    },
  },
  "+CMGD": {
    write: (a, ctx) => {
      const gate = smsGate(ctx);
      if (gate) return gate;
      const [index, flag] = args(a).map(Number);
      if (flag !== undefined && flag >= 1 && flag <= 4) {
        ctx.store.deleteByFlag(ctx.mems[0], flag as 1 | 2 | 3 | 4);
        ctx.storageFreed();
        return OK;
      }
      if (!ctx.store.inRange(ctx.mems[0], index!)) return { cms: 321 };
      ctx.store.delete(ctx.mems[0], index!);
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
  },
  "+CMGS": { write: (a, ctx) => smsGate(ctx) ?? (ctx.world.settings.cmgf === 0 ? sendPdu(a, ctx) : sendText(a, ctx)) },
};

function sendPdu(a: string, ctx: Ctx): Result {
  const length = Number(a);
  if (!Number.isInteger(length) || length < 7 || length > 164) return { cms: 304 };
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
  if (!isRegistered(statOf(ctx, "eps")) && !isRegistered(statOf(ctx, "cs"))) return { cms: 331 };
  const mr = ctx.nextMr();
  const sent = { ...sms, mr };
  ctx.sent.push(sent);
  ctx.smsSent(sent);
  return ok(`+CMGS: ${mr}`);
}
