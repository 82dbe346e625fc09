import type { ApiHttp } from "../http.js";
import { paginate, type PageOptions } from "../paging.js";
import { sid, strOrNull, type Json } from "../records.js";

/** A Monitor alert (monitor.v1.alert): an error Twilio logged against a resource of the account. */
export interface Alert {
  sid: string;
  errorCode: string | null;
  logLevel: string | null;
  alertText: string | null;
  /** The resource it was logged for (a Super SIM's HS… SID for its attach errors), when any. */
  resourceSid: string | null;
  /** When it happened (date_generated; date_created can lag behind it). */
  at: string | null;
}

function parseAlert(j: Json): Alert {
  return {
    sid: sid(j, "sid", "NO", "Alert"),
    errorCode: strOrNull(j, "error_code"),
    logLevel: strOrNull(j, "log_level"),
    alertText: strOrNull(j, "alert_text"),
    resourceSid: strOrNull(j, "resource_sid"),
    at: strOrNull(j, "date_generated") ?? strOrNull(j, "date_created"),
  };
}

/** The Monitor API's Alerts list (monitor.twilio.com/v1/Alerts): the account's error log of the last 30 days. */
export class MonitorResources {
  constructor(
    readonly http: ApiHttp,
    readonly baseUrl: string,
  ) {}

  listAlerts(f: { start?: Date; end?: Date; logLevel?: string } = {}, o: PageOptions = {}): AsyncGenerator<Alert> {
    const query = { StartDate: f.start, EndDate: f.end, LogLevel: f.logLevel }; // dates as YYYY-MM-DDThh:mm:ssZ
    return paginate(this.http, `${this.baseUrl.replace(/\/+$/, "")}/v1/Alerts`, query, "alerts", parseAlert, o);
  }
}
