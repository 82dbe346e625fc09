import { lookup } from "node:dns/promises";
import { isIP, Socket } from "node:net";

export interface PingResult {
  ok: boolean;
  /** Name resolution time (0 for an address). */
  dnsMs: number | null;
  /** TCP connect time. */
  tcpMs: number | null;
  address: string | null;
  error?: string;
}

/**
 * Reachability over the data link as an application sees it: resolve the name, then time a
 * TCP connect (ICMP needs CAP_NET_RAW, which the hardened unit does not grant). Separating the
 * two tells "DNS broken" from "no route" from "port closed".
 */
export async function tcpPing(
  host: string,
  port: number,
  timeoutMs: number,
  now: () => number = () => performance.now(),
): Promise<PingResult> {
  const h = host.replace(/^\[|\]$/g, "");
  let t = now();
  let address = h;
  let dnsMs = 0;
  if (isIP(h) === 0) {
    try {
      address = (await withTimeout(lookup(h), timeoutMs, "dns timeout")).address;
      dnsMs = Math.round(now() - t);
    } catch (err) {
      return { ok: false, dnsMs: null, tcpMs: null, address: null, error: short(err) };
    }
  }
  t = now();
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (error?: string) => {
      s.destroy();
      resolve({
        ok: error === undefined,
        dnsMs,
        tcpMs: error === undefined ? Math.round(now() - t) : null,
        address,
        ...(error ? { error } : {}),
      });
    };
    s.setTimeout(timeoutMs, () => done("tcp timeout"));
    s.once("error", (err) => done(short(err)));
    s.connect(port, address, () => done());
  });
}

function short(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

async function withTimeout<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
