import { isCellgateError, sleep, type Clock } from "../core/index.js";

export interface RetryOptions {
  clock: Clock;
  signal?: AbortSignal;
  attempts?: number;
  baseMs?: number;
}

/** A +CME/+CMS error the modem says is transient (SIM busy, 515 "please wait"). */
export function isRetryable(err: unknown): boolean {
  return (isCellgateError(err, "CG_ERR_AT_CME") || isCellgateError(err, "CG_ERR_AT_CMS")) && err.detail.retryable === true;
}

/**
 * Runs `fn` again after a transient modem error, with doubling waits (SIM busy right after
 * boot is normal: python-gsmmodem and ModemManager both wait and retry).
 */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  const attempts = o.attempts ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
      await sleep((o.baseMs ?? 500) * 2 ** (i - 1), o.clock, o.signal);
    }
  }
}
