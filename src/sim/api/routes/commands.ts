import { ApiError, badParam, notFound } from "../errors.js";
import { commandJson } from "../format.js";
import { page } from "../paging.js";
import type { Route, RouteContext } from "../context.js";
import { newSid, type CommandRecord } from "../store.js";

const MODES = ["text", "binary"];

/** How long the network tries to deliver an MT Command to a device that is away (Super SIM: "up to 24 hours"). */
export const DELIVERY_WINDOW_MS = 24 * 3_600_000;

/**
 * The lifecycle of an MT Command (or Super SIM SmsCommand): queued → sent → delivered (with a
 * receipt) or failed; callback at the end. A device that is away is tried again every
 * `deliveryRetryMs` for a day: a Programmable Wireless Command stays queued meanwhile (and
 * fails after the day: the simulator's choice, the retry window there is not documented); a
 * Super SIM one is sent after the first try and stays sent when never delivered (as documented).
 */
export function dispatch(ctx: RouteContext, cmd: CommandRecord): void {
  const set = (status: CommandRecord["status"]) => {
    cmd.status = status;
    cmd.dateUpdated = new Date(ctx.clock.now());
    if (
      (status === "delivered" || status === "failed" || (status === "sent" && !cmd.deliveryReceiptRequested)) &&
      cmd.callbackUrl
    ) {
      ctx.callback(cmd.callbackUrl, cmd.callbackMethod, {
        AccountSid: ctx.store.accountSid,
        CommandSid: cmd.sid,
        SimSid: cmd.simSid,
        CommandStatus: status,
        Status: status,
      });
    }
  };
  const attempt = () => {
    const sim = ctx.store.findSim(cmd.simSid);
    const plan = sim?.ratePlanSid ? ctx.store.findRatePlan(sim.ratePlanSid) : undefined;
    if (sim === undefined || !["active", "ready"].includes(sim.status) || plan?.messagingEnabled === false) {
      delete cmd.retryUntil;
      return set("failed");
    }
    if (cmd.retryUntil === undefined)
      ctx.store.traffic.push({ kind: "command", simSid: sim.sid, at: ctx.clock.now(), direction: "to_sim" });
    const outcome = ctx.deliverMt ? ctx.deliverMt(cmd, sim) : "stored";
    if (outcome === "offline") {
      const until = cmd.retryUntil ?? cmd.dateCreated.getTime() + DELIVERY_WINDOW_MS;
      if (ctx.clock.now() >= until) {
        delete cmd.retryUntil;
        if (ctx.product !== "super-sim") set("failed");
        return;
      }
      cmd.retryUntil = until;
      if (ctx.product === "super-sim" && cmd.status === "queued") set("sent");
      ctx.clock.setTimeout(attempt, ctx.deliveryRetryMs);
      return;
    }
    delete cmd.retryUntil;
    if (outcome === "failed") return set("failed");
    if (cmd.status !== "sent") set("sent");
    if (outcome === "stored" && cmd.deliveryReceiptRequested) ctx.clock.setTimeout(() => set("delivered"), ctx.asyncMs);
  };
  ctx.clock.setTimeout(attempt, ctx.asyncMs);
}

/** A SIM holds at most `queueLimit` undelivered MT Commands; one more is refused with 33118 (not retried: it says why). */
export function checkQueue(ctx: RouteContext, simSid: string): void {
  if (ctx.store.queuedFor(simSid) >= ctx.queueLimit)
    throw new ApiError(400, 33118, `Number of Commands exceeded: more than ${ctx.queueLimit} Commands are queued for this SIM`);
}

/** A SIM's Commands (or the account's), newest first, filtered as the list asks. */
export function listCommands(ctx: RouteContext, q: URLSearchParams): CommandRecord[] {
  const simRef = q.get("Sim");
  const simSid = simRef === null ? null : (ctx.store.findSim(simRef)?.sid ?? simRef);
  const [status, direction, transport] = [q.get("Status"), q.get("Direction"), q.get("Transport")];
  const all = simSid === null ? ctx.store.commands : ctx.store.commandsOf(simSid);
  const out: CommandRecord[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const c = all[i]!;
    if (
      (status === null || c.status === status) &&
      (direction === null || c.direction === direction) &&
      (transport === null || c.transport === transport)
    )
      out.push(c);
  }
  return out;
}

export const commandRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/v1\/Commands$/,
    operationId: "CreateCommand",
    handle(ctx, _p, _q, f) {
      const command = f.get("Command");
      if (command === null || command === "") throw badParam("Missing required parameter Command in the post body");
      const simRef = f.get("Sim");
      if (simRef === null) throw badParam("Missing parameter Sim");
      const sim = ctx.store.findSim(simRef);
      if (sim === undefined) throw notFound(`/v1/Sims/${simRef}`);
      checkQueue(ctx, sim.sid);
      const mode = (f.get("CommandMode") ?? "text") as "text" | "binary";
      if (!MODES.includes(mode)) throw badParam(`Invalid CommandMode: ${mode}`);
      const includeSid = f.get("IncludeSid") ?? "none";
      if (!["none", "start", "end"].includes(includeSid)) throw badParam(`Invalid IncludeSid: ${includeSid}`);
      if (mode === "binary") {
        const bytes = Buffer.from(command, "base64");
        if (bytes.toString("base64").replace(/=+$/, "") !== command.replace(/=+$/, ""))
          throw badParam("Command is not valid base64 in binary mode");
        if (bytes.length > 140) throw badParam(`Command is ${bytes.length} bytes; binary Commands are at most 140`);
        if (includeSid !== "none") throw badParam("IncludeSid is only for text Commands");
      } else if (command.length > (includeSid === "none" ? 160 : 128)) {
        throw badParam(`Command is ${command.length} characters; the limit is ${includeSid === "none" ? 160 : 128}`);
      }
      const receipt = f.get("DeliveryReceiptRequested");
      if (receipt !== null && receipt !== "true" && receipt !== "false")
        throw badParam(`Invalid DeliveryReceiptRequested: ${receipt}`);
      const cbUrl = f.get("CallbackUrl");
      if (cbUrl !== null && !/^https?:\/\/\S+$/.test(cbUrl)) throw badParam(`Invalid CallbackUrl: ${cbUrl}`);
      const now = new Date(ctx.clock.now());
      const cmd: CommandRecord = {
        sid: newSid("DC"),
        simSid: sim.sid,
        command,
        commandMode: mode,
        transport: "sms",
        deliveryReceiptRequested: receipt !== "false",
        status: "queued",
        direction: "to_sim",
        callbackUrl: cbUrl,
        callbackMethod: f.get("CallbackMethod") === "GET" ? "GET" : "POST",
        includeSid: includeSid as CommandRecord["includeSid"],
        dateCreated: now,
        dateUpdated: now,
      };
      ctx.store.addCommand(cmd);
      dispatch(ctx, cmd);
      return { status: 201, body: commandJson(cmd, ctx.base, ctx.store.accountSid) };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/Commands$/,
    operationId: "ListCommand",
    handle: (ctx, _p, q) => ({
      status: 200,
      body: page(listCommands(ctx, q), "commands", ctx.base, "/v1/Commands", q, (c) =>
        commandJson(c, ctx.base, ctx.store.accountSid),
      ),
    }),
  },
  {
    method: "GET",
    path: /^\/v1\/Commands\/(DC[0-9a-fA-F]{32})$/,
    operationId: "FetchCommand",
    handle(ctx, [sid]) {
      const c = ctx.store.commands.find((x) => x.sid === sid);
      if (c === undefined) throw notFound(`/v1/Commands/${sid}`);
      return { status: 200, body: commandJson(c, ctx.base, ctx.store.accountSid) };
    },
  },
  {
    method: "DELETE",
    path: /^\/v1\/Commands\/(DC[0-9a-fA-F]{32})$/,
    operationId: "DeleteCommand",
    handle(ctx, [sid]) {
      const c = ctx.store.commands.find((x) => x.sid === sid);
      if (c === undefined) throw notFound(`/v1/Commands/${sid}`);
      ctx.store.removeCommand(c);
      return { status: 204, body: null };
    },
  },
];
