import { request } from "undici";
import { CellgateError } from "../core/index.js";

/** What `cellgate remote serve` heard, validated (X-Twilio-Signature), in the order it came. */
export type CallbackEvent =
  | { seq: number; kind: "reply"; sim: string; text: string; commandSid: string | null; at: number }
  | { seq: number; kind: "command-status"; sim: string | null; commandSid: string; status: string; at: number }
  | { seq: number; kind: "sim-status"; sim: string; status: string | null; at: number };

export interface Feed {
  /** The public URL Twilio calls (given as CallbackUrl so delivery and SIM changes are called back). */
  publicUrl(): Promise<string>;
  /** Events after `after`, waiting up to `waitMs` for the first. */
  next(after: number, waitMs: number, signal?: AbortSignal): Promise<{ events: CallbackEvent[]; last: number }>;
}

/**
 * A run's link to `cellgate remote serve` (`--via URL`): the callbacks it validated, read from its
 * feed with the same credentials as the API (whoever may read the feed may read the API anyway).
 */
export function httpFeed(base: string, authorization: string): Feed {
  const url = base.replace(/\/+$/, "");
  const get = async (path: string, signal?: AbortSignal): Promise<unknown> => {
    let res;
    try {
      res = await request(`${url}${path}`, { headers: { authorization }, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new CellgateError("CG_ERR_API_UNAVAILABLE", `remote serve at ${url} does not answer: ${(err as Error).message}`, {
        url,
      });
    }
    const text = await res.body.text();
    if (res.statusCode === 401)
      throw new CellgateError(
        "CG_ERR_API_AUTH",
        `remote serve at ${url} refused this run's credentials (the API's, as it has them)`,
      );
    if (res.statusCode !== 200)
      throw new CellgateError("CG_ERR_API_UNAVAILABLE", `remote serve at ${url}${path.split("?")[0]}: HTTP ${res.statusCode}`, {
        url,
      });
    return JSON.parse(text) as unknown;
  };
  return {
    async publicUrl() {
      const info = (await get("/feed/info")) as { publicUrl?: unknown };
      if (typeof info.publicUrl !== "string")
        throw new CellgateError("CG_ERR_API_RESPONSE", `remote serve at ${url}: no public URL`);
      return info.publicUrl;
    },
    async next(after, waitMs, signal) {
      const r = (await get(`/feed?after=${after}&waitMs=${Math.max(0, Math.round(waitMs))}`, signal)) as {
        events: CallbackEvent[];
        last: number;
      };
      return { events: Array.isArray(r.events) ? r.events : [], last: typeof r.last === "number" ? r.last : after };
    },
  };
}
