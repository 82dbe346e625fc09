/**
 * Preloaded into `cellgate run` by the bench (--import) to say where the +CMTI → MQTT
 * milliseconds go: the modem's bytes (the engine's `cellgate:at:io` channel) and every fsync,
 * timed in the daemon itself, written to $CELLGATE_BENCH_TRACE as [ms, what] when it exits.
 */
import diagnostics from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { performance } from "node:perf_hooks";

const events: Array<[number, string]> = [];
diagnostics.channel("cellgate:at:io").subscribe((m) => {
  const t = m as { dir: "tx" | "rx"; hex: string };
  events.push([performance.now(), `${t.dir} ${Buffer.from(t.hex, "hex").toString("latin1")}`]);
});

type Sync = (this: FileHandle) => Promise<void>;
const handle = await open(process.execPath, "r");
const proto = Object.getPrototypeOf(handle) as Record<"sync" | "datasync", Sync>;
await handle.close();
for (const name of ["sync", "datasync"] as const) {
  const original = proto[name];
  proto[name] = async function (this: FileHandle) {
    const t0 = performance.now();
    try {
      await original.call(this);
    } finally {
      events.push([t0, `fsync ${performance.now() - t0}`]);
    }
  };
}
process.on("exit", () => writeFileSync(process.env.CELLGATE_BENCH_TRACE!, JSON.stringify(events)));
