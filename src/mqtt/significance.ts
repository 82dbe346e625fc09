import type { HealthPayload, NetworkPayload, SimPayload, Stamp } from "./topics.js";

/**
 * What makes a retained snapshot news. A bridge forwards every republish over the cellular link,
 * so a snapshot is compared on what a reader acts on, not on every digit: the health verdict and
 * each check's status and hint (not its detail text, which carries live numbers), the carrier's
 * view without its fetch time and with usage in steps, the signal through a deadband. The payload
 * published still carries every current value. Pure, but for the deadband's memory.
 */
export function healthKey(h: Omit<HealthPayload, keyof Stamp>): unknown {
  return { verdict: h.verdict, checks: h.checks.map((c) => [c.id, c.status, c.hint ?? null]) };
}

interface ViewLike {
  usage?: { dataBytes?: number | null; periodStart?: string; limitBytes?: number | null; [k: string]: unknown } | null;
  lastDataSession?: {
    radioLink?: unknown;
    operatorName?: unknown;
    operatorMcc?: unknown;
    operatorMnc?: unknown;
    cellId?: unknown;
    open?: unknown;
  } | null;
  [k: string]: unknown;
}

/** The carrier's view without fetchedAt, the period's moving end, session update times; usage counted in `usageStepBytes` steps. */
export function simKey(s: Omit<SimPayload, keyof Stamp>, usageStepBytes: number): unknown {
  if (s.view === null || typeof s.view !== "object") return { error: s.error ?? null };
  const { usage, lastDataSession: d, errors: _errors, ...rest } = s.view as ViewLike;
  const step = Math.max(1, usageStepBytes);
  return {
    ...rest,
    usage: usage
      ? {
          periodStart: usage.periodStart,
          limitBytes: usage.limitBytes,
          steps: usage.dataBytes == null ? null : Math.floor(usage.dataBytes / step),
        }
      : null,
    session: d ? [d.radioLink, d.operatorName, d.operatorMcc, d.operatorMnc, d.cellId, d.open] : null,
  };
}

type Signal = NonNullable<NetworkPayload["signal"]>;

/**
 * The signal as last published, kept until a value moves by `db` or more (or appears, or goes):
 * RSRP wandering a dB or two around -95 is not news, a fade of 6 dB is.
 */
export class SignalDeadband {
  #published: Signal | null = null;

  constructor(private readonly db: () => number) {}

  /** The network snapshot's comparison key: the signal replaced by the last published one unless it moved. */
  key(n: Omit<NetworkPayload, keyof Stamp>): unknown {
    const s = n.signal;
    if (this.#moved(s)) this.#published = s;
    return { ...n, signal: this.#published };
  }

  #moved(s: Signal | null): boolean {
    const p = this.#published;
    if (s === null || p === null) return s !== p;
    return (Object.keys(s) as Array<keyof Signal>).some((k) => {
      const a = s[k];
      const b = p[k];
      return a === null || b === null ? a !== b : Math.abs(a - b) >= this.db();
    });
  }
}
