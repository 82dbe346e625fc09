import { badParam, notFound } from "../errors.js";
import { iso } from "../format.js";
import { page } from "../paging.js";
import type { Route, RouteContext } from "../context.js";
import type { TrafficEvent } from "../store.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USD_PER_MB = 0.1;
const USD_PER_COMMAND = 0.005;

function dateParam(q: URLSearchParams, name: string): Date | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badParam(`Invalid ${name}: ${v} is not an ISO 8601 date-time`);
  return new Date(t);
}

function buckets(start: Date, end: Date, granularity: string): Array<[Date, Date]> {
  if (granularity === "all") return [[start, end]];
  const step = granularity === "hourly" ? HOUR : DAY;
  const out: Array<[Date, Date]> = [];
  for (let t = start.getTime(); t < end.getTime(); t += step)
    out.push([new Date(t), new Date(Math.min(t + step, end.getTime()))]);
  return out;
}

/** The commands and data objects of a usage record, from the traffic in a period (all of it on the home network). */
function usage(events: TrafficEvent[]) {
  const data = events.filter((e): e is Extract<TrafficEvent, { kind: "data" }> => e.kind === "data");
  const cmds = events.filter((e): e is Extract<TrafficEvent, { kind: "command" }> => e.kind === "command");
  const upload = data.reduce((a, e) => a + e.upload, 0);
  const download = data.reduce((a, e) => a + e.download, 0);
  const fromSim = cmds.filter((c) => c.direction === "from_sim").length;
  const dataObj = {
    billing_units: "USD",
    billed: Math.round(((upload + download) / 1e6) * USD_PER_MB * 100) / 100,
    total: upload + download,
    upload,
    download,
    units: "bytes",
  };
  const cmdObj = {
    billing_units: "USD",
    billed: Math.round(cmds.length * USD_PER_COMMAND * 1000) / 1000,
    total: cmds.length,
    from_sim: fromSim,
    to_sim: cmds.length - fromSim,
  };
  const zeroData = { ...dataObj, billed: 0, total: 0, upload: 0, download: 0 };
  const zeroCmd = { ...cmdObj, billed: 0, total: 0, from_sim: 0, to_sim: 0 };
  return {
    commands: { ...cmdObj, home: cmdObj, national_roaming: zeroCmd, international_roaming: [] },
    data: { ...dataObj, home: dataObj, national_roaming: zeroData, international_roaming: [] },
  };
}

function records(ctx: RouteContext, q: URLSearchParams, simSid: string | undefined) {
  const end = dateParam(q, "End") ?? new Date(ctx.clock.now());
  const start = dateParam(q, "Start") ?? new Date(end.getTime() - 30 * DAY);
  if (start > end) throw badParam("Start is after End");
  const granularity = q.get("Granularity") ?? "all";
  if (!["hourly", "daily", "all"].includes(granularity)) throw badParam(`Invalid Granularity: ${granularity}`);
  const mine = ctx.store.traffic.filter((e) => simSid === undefined || e.simSid === simSid);
  return buckets(start, end, granularity).map(([from, to]) => ({
    ...(simSid ? { sim_sid: simSid } : {}),
    account_sid: ctx.store.accountSid,
    period: { start: iso(from), end: iso(to) },
    ...usage(mine.filter((e) => e.at >= from.getTime() && e.at < to.getTime())),
  }));
}

export const usageRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/v1\/Sims\/([^/]+)\/UsageRecords$/,
    operationId: "ListUsageRecord",
    handle(ctx, [sid], q) {
      const s = ctx.store.findSim(sid!);
      if (s === undefined) throw notFound(`/v1/Sims/${sid}`);
      return { status: 200, body: page(records(ctx, q, s.sid), "usage_records", ctx.base, `/v1/Sims/${s.sid}/UsageRecords`, q) };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/UsageRecords$/,
    operationId: "ListAccountUsageRecord",
    handle: (ctx, _p, q) => ({
      status: 200,
      body: page(records(ctx, q, undefined), "usage_records", ctx.base, "/v1/UsageRecords", q),
    }),
  },
];
