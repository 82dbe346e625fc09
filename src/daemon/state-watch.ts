import { join } from "node:path";
import { stateWrites, writeFileDurable, type Clock, type Logger } from "../core/index.js";

export interface StateWatchOptions {
  dir: string;
  clock: Clock;
  log: Logger;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  /** The state directory can be written again: take what waited (an inbox sweep). */
  recovered: () => void;
  probeMs?: number;
}

/**
 * A full or read-only state directory, said on `events` when it starts and ends. While it lasts
 * a small durable write probes it every few seconds (nothing else may be writing: the SMS wait
 * on the modem for the inbox's next sweep), so what waited is taken as soon as it can be.
 * Returns the stop function.
 */
export function watchState(o: StateWatchOptions): () => void {
  let timer: ReturnType<Clock["setTimeout"]> | undefined;
  const probe = () => {
    timer = o.clock.setTimeout(() => {
      timer = undefined;
      void writeFileDurable(join(o.dir, ".writable"), new Date(o.clock.now()).toISOString()).catch(() => probe());
    }, o.probeMs ?? 5000);
  };
  const off = stateWrites.events.on("change", (f) => {
    if (f) {
      o.log.error({ path: f.path, err: f.error }, "the state directory cannot be written: SMS stay on the modem");
      o.event("state", `the state directory cannot be written (${f.error}): SMS stay on the modem, Commands wait`, {
        path: f.path,
        error: f.error,
      });
      if (timer === undefined) probe();
    } else {
      o.clock.clearTimeout(timer);
      timer = undefined;
      o.log.info("the state directory can be written again");
      o.event("state", "the state directory can be written again");
      o.recovered();
    }
  });
  return () => {
    off();
    o.clock.clearTimeout(timer);
  };
}
