import { badParam } from "../errors.js";
import { iso } from "../format.js";
import { page } from "../paging.js";
import type { Route, RouteContext } from "../context.js";
import type { AlertRecord } from "../store.js";

const DAY = 86_400_000;

/** `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`, in GMT, as the Alerts list takes its dates. */
function dateParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw badParam(`Invalid ${name}: ${v} is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
  return t;
}

/** monitor.v1.alert as the list answers it (the request and response details are the instance's only). */
function alertJson(a: AlertRecord, ctx: RouteContext) {
  return {
    account_sid: ctx.store.accountSid,
    alert_text: a.text,
    api_version: null,
    date_created: iso(new Date(a.at)),
    date_generated: iso(new Date(a.at)),
    date_updated: iso(new Date(a.at)),
    error_code: a.errorCode,
    log_level: a.logLevel,
    more_info: `https://www.twilio.com/docs/errors/${a.errorCode}`,
    request_method: null,
    request_url: null,
    resource_sid: a.resourceSid,
    sid: a.sid,
    url: `${ctx.base}/v1/Alerts/${a.sid}`,
    service_sid: null,
  };
}

/** The Monitor API's Alerts list (monitor.twilio.com/v1/Alerts), newest first, as Twilio lists it. */
export const alertRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/v1\/Alerts$/,
    operationId: "ListAlert",
    handle(ctx, _p, q) {
      const now = ctx.clock.now();
      const start = dateParam(q, "StartDate") ?? now - 30 * DAY;
      const end = dateParam(q, "EndDate") ?? now;
      if (start < now - 30 * DAY - DAY) throw badParam("Queries for alerts older than 30 days are not supported");
      const level = q.get("LogLevel");
      const items = ctx.store.alerts
        .filter((a) => a.at >= start && a.at <= end && (level === null || a.logLevel === level))
        .sort((a, b) => b.at - a.at);
      return { status: 200, body: page(items, "alerts", ctx.base, "/v1/Alerts", q, (a) => alertJson(a, ctx)) };
    },
  },
];
