import { isCellgateError } from "../core/index.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How long to wait before asking the API again after `failures` failures in a row (1 for the
 * first), by what kind of failure it was, so a broken API or credential is not called on every
 * poll: refused credentials or a missing configuration do not fix themselves (an hour, or the
 * refresh interval if longer); a SIM not in the account may be added (the refresh interval);
 * a rate limit waits at least as long as the API said; anything else (5xx, timeouts, answers of
 * the wrong shape) backs off from 30 s, doubling, up to the refresh interval, jittered so a
 * fleet does not ask in step. Pure.
 */
export function apiRetryDelayMs(err: unknown, failures: number, refreshMs: number, random: () => number = Math.random): number {
  if (isCellgateError(err, "CG_ERR_API_AUTH") || isCellgateError(err, "CG_ERR_API_CONFIG")) return Math.max(refreshMs, HOUR);
  if (isCellgateError(err, "CG_ERR_API_NOT_FOUND")) return refreshMs;
  const backoff = Math.min(refreshMs, 30_000 * 2 ** Math.min(Math.max(failures, 1) - 1, 20));
  const jittered = Math.round(backoff * (0.8 + 0.4 * random()));
  if (isCellgateError(err, "CG_ERR_API_RATE_LIMIT")) {
    const after = typeof err.detail.retryAfterMs === "number" ? err.detail.retryAfterMs : 0;
    return Math.max(after, jittered, MINUTE);
  }
  return jittered;
}
