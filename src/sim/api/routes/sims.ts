import { ApiError, badParam, notFound } from "../errors.js";
import { dataSessionJson, ratePlanJson, simJson } from "../format.js";
import { page } from "../paging.js";
import type { Route, RouteContext } from "../context.js";
import type { SimRecord } from "../store.js";

const SIM_STATUSES = ["new", "ready", "active", "suspended", "deactivated", "canceled", "scheduled", "updating"];
const WRITABLE_STATUSES = ["ready", "active", "suspended", "deactivated"];
const METHODS = ["GET", "POST"];

function sim(ctx: RouteContext, sidOrName: string): SimRecord {
  const s = ctx.store.findSim(sidOrName);
  if (s === undefined) throw notFound(`/v1/Sims/${sidOrName}`);
  return s;
}

function enumParam(form: URLSearchParams, name: string, allowed: readonly string[]): string | undefined {
  const v = form.get(name);
  if (v === null) return undefined;
  if (!allowed.includes(v)) throw badParam(`Invalid ${name}: ${v}. Must be one of ${allowed.join(", ")}`);
  return v;
}

function urlParam(form: URLSearchParams, name: string): string | undefined {
  const v = form.get(name);
  if (v === null) return undefined;
  if (!/^https?:\/\/\S+$/.test(v)) throw badParam(`Invalid ${name}: ${v} is not a URL`);
  return v;
}

/** The final state a status change settles in, after `updating` (and the intermediate one). */
function settle(ctx: RouteContext, s: SimRecord, target: string, callbackUrl: string | undefined, method: "GET" | "POST"): void {
  const steps =
    target === "ready" && s.status === "new"
      ? ["ready", "active"]
      : target === "deactivated"
        ? ["deactivated", "canceled"]
        : [target];
  steps.forEach((status, i) => {
    ctx.clock.setTimeout(
      () => {
        s.status = status;
        s.dateUpdated = new Date(ctx.clock.now());
        if (callbackUrl) ctx.callback(callbackUrl, method, { AccountSid: ctx.store.accountSid, SimSid: s.sid, Status: status });
      },
      ctx.asyncMs * (i + 1),
    );
  });
}

export const simRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/v1\/Sims$/,
    operationId: "ListSim",
    handle(ctx, _p, q) {
      const status = q.get("Status");
      if (status !== null && !SIM_STATUSES.includes(status)) throw badParam(`Invalid Status: ${status}`);
      const plan = q.get("RatePlan");
      const planSid = plan === null ? null : (ctx.store.findRatePlan(plan)?.sid ?? plan);
      const items = ctx.store.sims.filter(
        (s) =>
          (status === null || s.status === status) &&
          (q.get("Iccid") === null || s.iccid === q.get("Iccid")) &&
          (planSid === null || s.ratePlanSid === planSid) &&
          (q.get("EId") === null || s.eId === q.get("EId")) &&
          (q.get("SimRegistrationCode") === null || s.registrationCode === q.get("SimRegistrationCode")),
      );
      return {
        status: 200,
        body: page(
          items.map((s) => simJson(s, ctx.base, ctx.store.accountSid)),
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
    handle: (ctx, [sid]) => ({ status: 200, body: simJson(sim(ctx, sid!), ctx.base, ctx.store.accountSid) }),
  },
  {
    method: "POST",
    path: /^\/v1\/Sims\/([^/]+)$/,
    operationId: "UpdateSim",
    handle(ctx, [sid], _q, f) {
      const s = sim(ctx, sid!);
      const status = enumParam(f, "Status", WRITABLE_STATUSES);
      const reset = enumParam(f, "ResetStatus", ["resetting"]);
      const callbackUrl = urlParam(f, "CallbackUrl");
      const callbackMethod = (enumParam(f, "CallbackMethod", METHODS) ?? "POST") as "GET" | "POST";
      const commandsUrl = urlParam(f, "CommandsCallbackUrl");
      const commandsMethod = enumParam(f, "CommandsCallbackMethod", METHODS);
      const plan = f.get("RatePlan");
      if (plan !== null && ctx.store.findRatePlan(plan) === undefined) throw badParam(`Invalid RatePlan: ${plan}`);
      if (f.get("AccountSid") !== null && s.status !== "new")
        throw new ApiError(400, 20001, "AccountSid can only be changed while the Sim is new");
      if (f.get("UniqueName") !== null) s.uniqueName = f.get("UniqueName");
      if (f.get("FriendlyName") !== null) s.friendlyName = f.get("FriendlyName");
      if (plan !== null) s.ratePlanSid = ctx.store.findRatePlan(plan)!.sid;
      if (commandsUrl !== undefined) s.commandsCallbackUrl = commandsUrl;
      if (commandsMethod !== undefined) s.commandsCallbackMethod = commandsMethod as "GET" | "POST";
      s.dateUpdated = new Date(ctx.clock.now());
      let async = false;
      if (reset !== undefined) {
        s.resetStatus = "resetting";
        ctx.clock.setTimeout(() => {
          s.resetStatus = null;
          s.dateUpdated = new Date(ctx.clock.now());
          // "called when the SIM has finished updating": the reset's end too.
          if (callbackUrl)
            ctx.callback(callbackUrl, callbackMethod, { AccountSid: ctx.store.accountSid, SimSid: s.sid, Status: s.status });
        }, ctx.asyncMs);
        async = true;
      }
      if (status !== undefined && status !== s.status) {
        settle(ctx, s, status, callbackUrl, callbackMethod);
        s.status = "updating";
        async = true;
      }
      // The live API answers an asynchronous change with 202 (the spec says 200).
      return { status: async ? 202 : 200, body: simJson(s, ctx.base, ctx.store.accountSid) };
    },
  },
  {
    method: "DELETE",
    path: /^\/v1\/Sims\/([^/]+)$/,
    operationId: "DeleteSim",
    handle(ctx, [sid]) {
      ctx.store.removeSim(sim(ctx, sid!));
      return { status: 204, body: null };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/Sims\/([^/]+)\/DataSessions$/,
    operationId: "ListDataSession",
    handle(ctx, [sid], q) {
      const s = sim(ctx, sid!);
      const items = ctx.store.dataSessions
        .filter((d) => d.simSid === s.sid)
        .sort((a, b) => b.start.getTime() - a.start.getTime());
      return {
        status: 200,
        body: page(
          items.map((d) => dataSessionJson(d, ctx.store.accountSid)),
          "data_sessions",
          ctx.base,
          `/v1/Sims/${s.sid}/DataSessions`,
          q,
        ),
      };
    },
  },
  {
    method: "GET",
    path: /^\/v1\/RatePlans$/,
    operationId: "ListRatePlan",
    handle: (ctx, _p, q) => ({
      status: 200,
      body: page(
        ctx.store.ratePlans.map((p) => ratePlanJson(p, ctx.base, ctx.store.accountSid)),
        "rate_plans",
        ctx.base,
        "/v1/RatePlans",
        q,
      ),
    }),
  },
  {
    method: "GET",
    path: /^\/v1\/RatePlans\/([^/]+)$/,
    operationId: "FetchRatePlan",
    handle(ctx, [sid]) {
      const p = ctx.store.findRatePlan(sid!);
      if (p === undefined) throw notFound(`/v1/RatePlans/${sid}`);
      return { status: 200, body: ratePlanJson(p, ctx.base, ctx.store.accountSid) };
    },
  },
];
