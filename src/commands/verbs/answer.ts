import { echoed, type Septets } from "../reply.js";
import {
  healthReply,
  helpReply,
  modemResetReply,
  mqttReply,
  netReply,
  pingReply,
  signalReply,
  simReply,
  statusReply,
  versionReply,
} from "../replies.js";
import type { Gateway, GatewayView } from "../types.js";
import type { Verb } from "./names.js";
import { tcpPing } from "./ping.js";

/** The verbs that only read: the gateway's last picture, one reply. */
const VIEW_REPLIES: Partial<Record<Verb, (v: GatewayView, s: Septets, max: number) => string>> = {
  status: statusReply,
  health: healthReply,
  signal: signalReply,
  net: netReply,
  sim: simReply,
  mqtt: mqttReply,
  version: versionReply,
};

export interface AnswerContext {
  gateway: Gateway;
  septets: Septets;
  /** The verbs this gateway runs, and those it runs unsigned (for `help`). */
  enabled: readonly Verb[];
  unsigned: ReadonlySet<Verb>;
  pingTimeoutMs: number;
}

/**
 * Runs a verb other than `reboot` and returns its reply: one SMS, the request id echoed first when
 * the Command carried one. `modem-reset` acts (the caller has marked it running); the rest read.
 */
export async function answerVerb(
  e: { verb: Verb; args: readonly string[]; rid?: string | undefined },
  c: AnswerContext,
): Promise<string> {
  const s = c.septets;
  const fromView = VIEW_REPLIES[e.verb];
  if (fromView) {
    const v = c.gateway.view();
    return echoed(e.rid, (max) => fromView(v, s, max));
  }
  switch (e.verb) {
    case "help":
      return echoed(e.rid, (max) => helpReply(c.enabled, c.unsigned, s, max));
    case "ping": {
      const [host = "", port = "443"] = e.args;
      const r = await tcpPing(host, Number(port), c.pingTimeoutMs);
      return echoed(e.rid, (max) => pingReply(host, port, r, s, max));
    }
    case "modem-reset": {
      const r = await c.gateway.resetModem("requested by a Command");
      const after = r.ok ? await c.gateway.refresh().catch(() => null) : null;
      return echoed(e.rid, (max) => modemResetReply(r, after, s, max));
    }
    default:
      throw new Error(`${e.verb} is not answered here`);
  }
}
