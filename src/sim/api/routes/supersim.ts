import { ApiError, badParam, notFound } from "../errors.js";
import { fleetJson, iso } from "../format.js";
import { page } from "../paging.js";
import type { Route, RouteContext } from "../context.js";
import { newSid, type CommandRecord, type SimRecord } from "../store.js";
import { checkQueue, dispatch, listCommands } from "./commands.js";

/** Super SIM v1, the part that matches Programmable Wireless: Sims (HS…), Fleets, UsageRecords, SmsCommands. */
function superSimJson(s: SimRecord, ctx: RouteContext) {
  const url = `${ctx.base}/v1/Sims/${s.sid}`;
  return {
    sid: s.sid,
    unique_name: s.uniqueName,
    account_sid: ctx.store.accountSid,
    iccid: s.iccid,
    status: s.status,
    fleet_sid: s.fleetSid ?? null,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    url,
    links: { billing_periods: `${url}/BillingPeriods`, sim_ip_addresses: `${url}/IpAddresses` },
  };
}

function smsCommandJson(
  c: { sid: string; simSid: string; command: string; status: string; direction: string; dateCreated: Date; dateUpdated: Date },
  ctx: RouteContext,
) {
  return {
    sid: c.sid,
    account_sid: ctx.store.accountSid,
    sim_sid: c.simSid,
    payload: c.command,
    status: c.status,
    direction: c.direction,
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
    url: `${ctx.base}/v1/SmsCommands/${c.sid}`,
  };
}

export const superSimRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/v1\/Sims$/,
    operationId: "ListSim",
    handle(ctx, _p, q) {
      const items = ctx.store.sims.filter(
        (s) =>
          (q.get("Iccid") === null || s.iccid === q.get("Iccid")) &&
          (q.get("Status") === null || s.status === q.get("Status")) &&
          (q.get("Fleet") === null || s.fleetSid === (ctx.store.findFleet(q.get("Fleet")!)?.sid ?? q.get("Fleet"))),
      );
      return {
        status: 200,
        body: page(
          items.map((s) => superSimJson(s, ctx)),
          "sims",
          ctx.base,
          "/v1/Sims",
          q,
        ),
      };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/Sims\/([^/]+)$/,
    operationId: "FetchSim",
    handle(ctx, [sid]) {
      const s = ctx.store.findSim(sid!);
      if (s === undefined) throw notFound(`/v1/Sims/${sid}`);
      return { status: 200, body: superSimJson(s, ctx) };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/Fleets\/([^/]+)$/,
    operationId: "FetchFleet",
    handle(ctx, [sid]) {
      const f = ctx.store.findFleet(sid!);
      if (f === undefined) throw notFound(`/v1/Fleets/${sid}`);
      return { status: 200, body: fleetJson(f, ctx.base, ctx.store.accountSid) };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/UsageRecords$/,
    operationId: "ListUsageRecord",
    handle(ctx, _p, q) {
      const simRef = q.get("Sim");
      const sim = simRef === null ? undefined : ctx.store.findSim(simRef);
      const end = q.get("EndTime") ? new Date(q.get("EndTime")!) : new Date(ctx.clock.now());
      const start = q.get("StartTime") ? new Date(q.get("StartTime")!) : new Date(end.getTime() - 30 * 86_400_000);
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw badParam("Invalid StartTime or EndTime");
      const data = ctx.store.traffic.filter(
        (e) =>
          e.kind === "data" && (sim === undefined || e.simSid === sim.sid) && e.at >= start.getTime() && e.at < end.getTime(),
      );
      const up = data.reduce((a, e) => a + (e.kind === "data" ? e.upload : 0), 0);
      const down = data.reduce((a, e) => a + (e.kind === "data" ? e.download : 0), 0);
      const record = {
        account_sid: ctx.store.accountSid,
        sim_sid: sim?.sid ?? null,
        network_sid: null,
        fleet_sid: sim?.fleetSid ?? null,
        iso_country: null,
        period: { start_time: iso(start), end_time: iso(end) },
        data_upload: up,
        data_download: down,
        data_total: up + down,
        // The spec says number (some live answers send a string; the client takes both).
        data_total_billed: Math.round(((up + down) / 1e6) * 0.1 * 100) / 100,
        billed_unit: "USD",
      };
      return { status: 200, body: page([record], "usage_records", ctx.base, "/v1/UsageRecords", q) };
    },
  },
  {
    method: "POST",
    path: /^\/v1\/SmsCommands$/,
    operationId: "CreateSmsCommand",
    handle(ctx, _p, _q, f) {
      const sim = ctx.store.findSim(f.get("Sim") ?? "");
      const payload = f.get("Payload");
      if (sim === undefined) throw badParam("Missing or unknown Sim");
      checkQueue(ctx, sim.sid);
      if (payload === null || payload.length === 0 || payload.length > 160) throw badParam("Payload must be 1 to 160 characters");
      const now = new Date(ctx.clock.now());
      const cmd: CommandRecord = {
        sid: newSid("HC"),
        simSid: sim.sid,
        command: payload,
        commandMode: "text",
        transport: "sms",
        deliveryReceiptRequested: true,
        status: "queued",
        direction: "to_sim",
        callbackUrl: f.get("CallbackUrl"),
        callbackMethod: f.get("CallbackMethod") === "GET" ? "GET" : "POST",
        includeSid: "none",
        dateCreated: now,
        dateUpdated: now,
      };
      ctx.store.addCommand(cmd);
      dispatch(ctx, cmd);
      return { status: 201, body: smsCommandJson(cmd, ctx) };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/SmsCommands$/,
    operationId: "ListSmsCommand",
    handle: (ctx, _p, q) => ({
      status: 200,
      body: page(listCommands(ctx, q), "sms_commands", ctx.base, "/v1/SmsCommands", q, (c) => smsCommandJson(c, ctx)),
    }),
  },
  {
    method: "GET",
    path: /^\/v1\/SmsCommands\/(HC[0-9a-fA-F]{32})$/,
    operationId: "FetchSmsCommand",
    handle(ctx, [sid]) {
      const c = ctx.store.commands.find((x) => x.sid === sid);
      if (c === undefined) throw notFound(`/v1/SmsCommands/${sid}`);
      return { status: 200, body: smsCommandJson(c, ctx) };
    },
  },
  {
    method: "POST",
    path: /^\/v1\/Sims\/([^/]+)$/,
    operationId: "UpdateSim",
    handle(ctx, [sid], _q, f) {
      const s = ctx.store.findSim(sid!);
      if (s === undefined) throw notFound(`/v1/Sims/${sid}`);
      const status = f.get("Status");
      if (status !== null && !["ready", "active", "inactive"].includes(status))
        throw badParam(`Invalid Status: ${status}. Must be one of ready, active, inactive`);
      const url = f.get("CallbackUrl");
      if (url !== null && !/^https?:\/\/\S+$/.test(url)) throw badParam(`Invalid CallbackUrl: ${url}`);
      if (f.get("AccountSid") !== null && s.status !== "new")
        throw new ApiError(400, 20001, "AccountSid can only be changed while the Sim is new");
      if (f.get("UniqueName") !== null) s.uniqueName = f.get("UniqueName");
      s.dateUpdated = new Date(ctx.clock.now());
      if (status === null || status === s.status) return { status: 200, body: superSimJson(s, ctx) };
      // A status change is scheduled (202), then done; the CallbackUrl hears the outcome.
      s.status = "scheduled";
      ctx.clock.setTimeout(() => {
        s.status = status;
        s.dateUpdated = new Date(ctx.clock.now());
        if (url)
          ctx.callback(url, f.get("CallbackMethod") === "GET" ? "GET" : "POST", {
            AccountSid: ctx.store.accountSid,
            SimSid: s.sid,
            Status: status,
          });
      }, ctx.asyncMs);
      return { status: 202, body: superSimJson(s, ctx) };
    },
  },
];
