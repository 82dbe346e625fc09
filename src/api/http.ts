import { Agent, request, type Dispatcher } from "undici";
import { CellgateError, silentLogger, sleep, systemClock, type Clock, type ErrorCode, type Logger } from "../core/index.js";
import type { Auth } from "./auth.js";
import { encodeParams, type Params } from "./form.js";
import type { ConcurrencyLimiter } from "./limiter.js";

export interface ApiHttpOptions {
  /** `https://wireless.twilio.com`, `https://programmable-wireless.api.korewireless.com`, a simulator… */
  baseUrl: string;
  auth: Auth;
  /** undici dispatcher (keep-alive pool); injected by tests and by the daemon. */
  dispatcher?: Dispatcher;
  clock?: Clock;
  log?: Logger;
  /** Retries after the first try for 429, 5xx and connection failures. */
  retries?: number;
  /** Retries for 429 alone (it was not carried out; a fleet-wide run waits them out): default `retries`. */
  rateLimitRetries?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Every answer's HTTP status, or "error" when none came (metrics). */
  onResponse?: (status: number | "error") => void;
  /** The account's concurrency limit, shared by every request (a fleet-wide run sets it). */
  limiter?: ConcurrencyLimiter;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Twilio's error body: `{code, message, more_info, status}`. */
interface ApiErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/**
 * HTTP for the Wireless API: undici with keep-alive and timeouts, form-encoded bodies,
 * authentication, and the failure rules: 429 waits for Retry-After (with jitter); 5xx and
 * connection failures are retried with bounded, jittered backoff, except a POST that may have
 * been carried out; 401/403 are never retried (an OAuth2 token is fetched anew once) and say
 * which credential was refused. No header, and so no secret, is ever logged or put in an error.
 */
export class ApiHttp {
  readonly #o: ApiHttpOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #dispatcher: Dispatcher;

  constructor(o: ApiHttpOptions) {
    if (!/^https?:\/\//.test(o.baseUrl))
      throw new CellgateError("CG_ERR_API_CONFIG", `the API base URL must be http(s)://…, got ${JSON.stringify(o.baseUrl)}`);
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "api" });
    this.#dispatcher =
      o.dispatcher ?? new Agent({ connect: { timeout: o.connectTimeoutMs ?? 10_000 }, keepAliveTimeout: 30_000 });
  }

  get baseUrl(): string {
    return this.#o.baseUrl.replace(/\/+$/, "");
  }

  /**
   * `path` is relative to the base URL, or an absolute `next_page_url` taken as is. A POST is
   * not sent again after a 5xx, a reset or a timeout unless `idempotent` says a second one is
   * harmless: a Command may have been created all the same, and a blind retry would create a
   * second one (the caller looks it up first; the error's `detail.maybeDone` says so). A 429 was
   * not carried out, and is retried like any request.
   */
  async request(
    method: "GET" | "POST" | "DELETE",
    path: string,
    p: { query?: Params; form?: Params; signal?: AbortSignal; idempotent?: boolean } = {},
  ): Promise<ApiResponse> {
    // An absolute URL: a next page (its query inside it), or another of the provider's hosts (Monitor).
    const query = p.query ? encodeParams(p.query) : "";
    let url = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
    if (query !== "") url += `${url.includes("?") ? "&" : "?"}${query}`;
    const retries = this.#o.retries ?? 3;
    const replayable = method !== "POST" || p.idempotent === true;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      const started = this.#clock.now();
      let res: Dispatcher.ResponseData;
      let text: string;
      try {
        ({ res, text } = await this.#once(method, url, p));
      } catch (err) {
        if (err instanceof CellgateError) throw err;
        this.#o.onResponse?.("error");
        if (p.signal?.aborted) throw err;
        const why = (err as Error & { code?: string }).code ?? (err as Error).message;
        if (replayable && attempt < retries) {
          await this.#backoff(attempt, `${method} ${pathOf(url)}: ${why}`, p.signal);
          continue;
        }
        throw new CellgateError(
          "CG_ERR_API_UNAVAILABLE",
          `${method} ${pathOf(url)} failed after ${attempts(attempt)}: ${why}` +
            (replayable ? "" : " (not sent again: it may have been carried out)"),
          { method, url: pathOf(url), attempts: attempt + 1, maybeDone: !replayable },
          { cause: err },
        );
      }
      const status = res.statusCode;
      this.#o.onResponse?.(status);
      this.#log.debug({ method, path: pathOf(url), status, ms: this.#clock.now() - started, attempt }, "API request");
      if (status >= 200 && status < 300)
        return { status, body: status === 204 || text === "" ? null : parseJson(text, method, url) };
      if (status === 401 && this.#o.auth.scheme === "oauth2" && !reauthenticated) {
        this.#o.auth.invalidate(); // the token may have been revoked or expired early: one fresh token
        reauthenticated = true;
        continue;
      }
      const limit = status === 429 ? (this.#o.rateLimitRetries ?? retries) : retries;
      if ((status === 429 || (status >= 500 && replayable)) && attempt < limit) {
        await this.#wait(status, res, attempt, `${method} ${pathOf(url)}`, p.signal);
        continue;
      }
      throw this.#failure(method, url, status, errorBody(text), attempt, res, replayable);
    }
  }

  /** Before the next try: a 429 waits as Retry-After says, with jitter, for every request of the account; else backoff. */
  async #wait(status: number, res: Dispatcher.ResponseData, attempt: number, what: string, signal?: AbortSignal): Promise<void> {
    const retryAfter = status === 429 ? retryAfterMs(res.headers["retry-after"], this.#clock.now()) : undefined;
    if (retryAfter === undefined || retryAfter > (this.#o.maxRetryAfterMs ?? 60_000)) {
      if (status === 429) this.#o.limiter?.throttled(this.#clock.now() + 1000);
      return this.#backoff(attempt, `${what}: HTTP ${status}`, signal);
    }
    // Jitter, so a fleet of requests refused together does not come back together.
    const wait = retryAfter + Math.random() * (retryAfter * 0.25 + 250);
    this.#o.limiter?.throttled(this.#clock.now() + wait);
    this.#log.warn({ what, retryAfterMs: retryAfter, waitMs: Math.round(wait) }, "API rate limit: waiting as Retry-After says");
    await sleep(wait, this.#clock, signal);
  }

  /** The error for an answer that is not a success and is not tried again. */
  #failure(
    method: string,
    url: string,
    status: number,
    apiError: ApiErrorBody,
    attempt: number,
    res: Dispatcher.ResponseData,
    replayable: boolean,
  ): CellgateError {
    const at = `${method} ${pathOf(url)}`;
    if (status === 401 || status === 403)
      return this.#error(
        "CG_ERR_API_AUTH",
        `${at}: HTTP ${status}, the API refused the ${this.#o.auth.describe} credential${apiError.message ? ` (${apiError.message})` : ""}`,
        method,
        url,
        status,
        apiError,
      );
    if (status === 429)
      return this.#error(
        "CG_ERR_API_RATE_LIMIT",
        `${at}: still rate limited after ${attempt + 1} attempts`,
        method,
        url,
        status,
        apiError,
        {
          retryAfterMs: retryAfterMs(res.headers["retry-after"], this.#clock.now()) ?? null,
        },
      );
    if (status >= 500)
      return this.#error(
        "CG_ERR_API_UNAVAILABLE",
        `${at}: HTTP ${status} after ${attempts(attempt)}${replayable ? "" : " (not sent again: it may have been carried out)"}`,
        method,
        url,
        status,
        apiError,
        { maybeDone: !replayable },
      );
    if (status === 404)
      return this.#error(
        "CG_ERR_API_NOT_FOUND",
        `${at}: not found${apiError.message ? ` (${apiError.message})` : ""}`,
        method,
        url,
        status,
        apiError,
      );
    return this.#error(
      "CG_ERR_API_HTTP",
      `${at}: HTTP ${status}${apiError.code ? ` ${apiError.code}` : ""}${apiError.message ? `: ${apiError.message}` : ""}`,
      method,
      url,
      status,
      apiError,
    );
  }

  /** One try, holding a place under the account's concurrency limit for as long as it is on the wire. */
  async #once(
    method: string,
    url: string,
    p: { form?: Params; signal?: AbortSignal },
  ): Promise<{ res: Dispatcher.ResponseData; text: string }> {
    const release = this.#o.limiter ? await this.#o.limiter.acquire(p.signal) : undefined;
    try {
      const res = await request(url, {
        method,
        dispatcher: this.#dispatcher,
        headers: {
          authorization: await this.#o.auth.header(p.signal),
          accept: "application/json",
          "user-agent": "cellgate/0.1.0",
          ...(p.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(p.form ? { body: encodeParams(p.form) } : {}),
        headersTimeout: this.#o.headersTimeoutMs ?? 15_000,
        bodyTimeout: this.#o.bodyTimeoutMs ?? 15_000,
        ...(p.signal ? { signal: p.signal } : {}),
      });
      const concurrent = res.headers["twilio-concurrent-requests"];
      if (this.#o.limiter && typeof concurrent === "string") this.#o.limiter.observe(Number(concurrent));
      if (res.statusCode !== 429) this.#o.limiter?.answered();
      return { res, text: await res.body.text() };
    } finally {
      release?.();
    }
  }

  async close(): Promise<void> {
    if (this.#o.dispatcher === undefined) await this.#dispatcher.close();
  }

  async #backoff(attempt: number, why: string, signal?: AbortSignal): Promise<void> {
    const cap = Math.min(this.#o.maxBackoffMs ?? 8000, (this.#o.backoffMs ?? 500) * 2 ** attempt);
    const wait = cap / 2 + Math.random() * (cap / 2); // jittered, never zero
    this.#log.warn({ why, waitMs: Math.round(wait), attempt: attempt + 1 }, "API request failed; retrying");
    await sleep(wait, this.#clock, signal);
  }

  #error(
    code: ErrorCode,
    message: string,
    method: string,
    url: string,
    status: number,
    e: ApiErrorBody,
    extra: Record<string, unknown> = {},
  ): CellgateError {
    return new CellgateError(code, message, {
      method,
      url: pathOf(url),
      status,
      apiCode: e.code,
      apiMessage: e.message,
      moreInfo: e.more_info,
      ...extra,
    });
  }
}

const attempts = (attempt: number) => (attempt === 0 ? "1 attempt" : `${attempt + 1} attempts`);

/** The path and query of a URL, for logs and errors (never credentials: they travel in headers). */
function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/** A body as JSON, or CG_ERR_API_RESPONSE with the raw text. */
export function parseJson(text: string, method: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CellgateError("CG_ERR_API_RESPONSE", `${method} ${pathOf(url)}: the answer is not JSON`, {
      raw: text.slice(0, 500),
    });
  }
}

function errorBody(text: string): ApiErrorBody {
  try {
    const j = JSON.parse(text) as ApiErrorBody;
    return typeof j === "object" && j !== null ? j : {};
  } catch {
    return {};
  }
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from now. */
function retryAfterMs(h: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
