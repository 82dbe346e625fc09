import type { SimLookup } from "../api/index.js";
import type { Config } from "../config/index.js";
import { CellgateError, type Clock, type Logger } from "../core/index.js";
import type { MqttLink, Outbox } from "../mqtt/index.js";
import type { ControlHandlers, StatusResult } from "../runtime/index.js";
import type { MoCommand, MoResult, Product } from "../sms/index.js";
import type { ModemStack } from "./modem-stack.js";
import type { Poller } from "./poller.js";
import type { SmsAdmin } from "./sms-admin.js";

/** One MO SMS through the modem (every sender shares it, so the metrics count each once). */
export type MoSend = (cmd: MoCommand) => Promise<MoResult>;

export interface ControlDeps {
  stack: ModemStack;
  poller: Poller;
  link: MqttLink;
  outbox: Outbox;
  lookup: SimLookup | undefined;
  /** Which API the lookup asks (for `cellgate sim` through the daemon). */
  carrier: { provider: string; baseUrl: string } | undefined;
  apiError: () => string | undefined;
  product: Product;
  gatewayId: string;
  version: string;
  /** The data path in one word (up, down, fixing-cfun, blocked…), as STATUS= and the status Command show it. */
  dataPath: () => string | null;
  clock: Clock;
  log: Logger;
  sms: SmsAdmin;
  /** Counts MO sends (metrics); the same sender every MO SMS goes through. */
  sendMo: MoSend;
  config: () => Config;
}

/** What the CLI can ask a running daemon (the port is the daemon's, so `at`, `send` and `status` go through it); params ' +
  'arrive validated. */
export function controlApi(d: ControlDeps): ControlHandlers {
  return {
    status: async ({ fresh }) => {
      // Not fresher than the daemon keeps it unless asked: a poll costs a dozen AT round trips.
      const { report, polled } = await d.poller.current(fresh === true ? 0 : d.config().modem.pollS * 1000);
      const snapshot = d.poller.snapshot ?? null;
      return {
        report,
        snapshot,
        modemReadAgoS: snapshot && Math.max(0, Math.round((d.clock.now() - Date.parse(snapshot.at)) / 1000)),
        polled,
        ...liveParts(d),
      };
    },
    at: async ({ command, timeoutMs }) => {
      const r = await d.stack.modem.port.command(command, timeoutMs !== undefined ? { timeoutMs } : {});
      return { lines: [...r.lines], final: r.final };
    },
    send: async (p) => {
      const r = await d.sendMo(p.text !== undefined ? { text: p.text } : { data: Buffer.from(p.data!, "base64") });
      return { mr: r.mr, to: r.to, encoding: r.encoding, attempts: r.attempts };
    },
    sim: async () => {
      if (d.lookup === undefined || d.carrier === undefined)
        throw new CellgateError("CG_ERR_API_CONFIG", d.apiError() ?? "the Wireless API is disabled (api.provider: none)");
      const iccid = d.lookup.iccid();
      if (iccid === null)
        throw new CellgateError(
          "CG_ERR_CONTROL_REQUEST",
          "the modem's ICCID is not known yet (no modem, no SIM, or a locked one): see cellgate status",
          { missing: "iccid" },
        );
      const r = await d.lookup.refresh();
      return { iccid, ...d.carrier, fetchedAt: new Date(r.fetchedAt).toISOString(), ...r.view };
    },
    "sms/list": (p) => d.sms.list(p),
    "sms/read": (p) => d.sms.read(p),
    "sms/delete": (p) => d.sms.delete(p),
  };
}

/** The status answer's live part: read now, no AT traffic. */
function liveParts(d: ControlDeps): Omit<StatusResult, "report" | "snapshot" | "modemReadAgoS" | "polled"> {
  return {
    port: d.stack.supervisor.state,
    mqtt: d.link.state,
    outbox: d.outbox.stats(),
    carrier: d.lookup?.peek() ?? null,
    gateway: d.gatewayId,
    version: d.version,
    dataPath: d.dataPath(),
    process: footprint(),
  };
}

function footprint(): StatusResult["process"] {
  const m = process.memoryUsage();
  return {
    pid: process.pid,
    uptimeS: Math.round(process.uptime()),
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
  };
}
