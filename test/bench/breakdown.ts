/**
 * Where one SMS's milliseconds go inside cellgate, from the timeline trace-daemon.ts wrote: per
 * SMS, from the +CMTI line to the AT+CMGD's OK. The subscriber's clock stops during the third
 * step (the publish reaches the broker before the PUBACK comes back).
 */
import { readFileSync } from "node:fs";
import type { Row } from "./daemon.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export function breakdown(file: string, what: string): Row[] {
  const ev = JSON.parse(readFileSync(file, "utf8")) as Array<[number, string]>;
  const steps = {
    queue: [] as number[],
    cmgr: [] as number[],
    handoff: [] as number[],
    fsync: [] as number[],
    cmgd: [] as number[],
  };
  const after = (from: number, test: (e: string) => boolean) => ev.findIndex(([, e], i) => i > from && test(e));
  for (let i = 0; (i = after(i, (e) => e.startsWith("rx") && e.includes("+CMTI:"))) >= 0;) {
    const cmgr = after(i, (e) => e.startsWith("tx AT+CMGR"));
    const cmgrOk = after(cmgr, (e) => e.startsWith("rx") && /\r\nOK\r\n/.test(e));
    const cmgd = after(cmgrOk, (e) => e.startsWith("tx AT+CMGD"));
    const cmgdOk = after(cmgd, (e) => e.startsWith("rx") && /OK\r\n/.test(e));
    if (cmgr < 0 || cmgrOk < 0 || cmgd < 0 || cmgdOk < 0) break;
    const t = (j: number) => ev[j]![0];
    steps.queue.push(t(cmgr) - t(i));
    steps.cmgr.push(t(cmgrOk) - t(cmgr));
    steps.handoff.push(t(cmgd) - t(cmgrOk));
    const syncs = ev.slice(cmgrOk, cmgd).filter(([, e]) => e.startsWith("fsync "));
    steps.fsync.push(syncs.reduce((a, [, e]) => a + Number(e.slice(6)), 0));
    steps.cmgd.push(t(cmgdOk) - t(cmgd));
    i = cmgdOk;
  }
  const base = `median of ${steps.queue.length} SMS, timed in the daemon`;
  return [
    [`${what}: +CMTI line → AT+CMGR sent (URC dispatch, queue) (ms)`, base, median(steps.queue), 0],
    [`${what}: AT+CMGR round trip (ms)`, base, median(steps.cmgr), 0],
    [`${what}: decode, publish, PUBACK wait, seen-set write (ms)`, base, median(steps.handoff), 0],
    [`${what}: … of which fsync (seen-set file and its directory) (ms)`, base, median(steps.fsync), 0],
    [`${what}: AT+CMGD round trip (ms)`, base, median(steps.cmgd), 0],
  ];
}
