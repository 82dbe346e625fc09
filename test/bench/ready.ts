/**
 * Start to READY: from spawning `cellgate run` to its READY=1 on the notification socket
 * (configuration read, state opened, modem initialised over the pty, control socket listening),
 * beside a bare node process importing the same packages, spawn to exit, in alternating rounds.
 * With `wrap`, both run under the same CPU quota (quota.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { notifySocket } from "../helpers/notify-socket.js";
import { BARE_IMPORTS, benchWorld, config, daemon, ensureBuilt, stopChild, type Row, type Wrap } from "./daemon.js";
import { UNIT } from "./unit.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function startToReady(o: { rounds?: number; wrap?: Wrap; where?: string } = {}): Promise<Row[]> {
  const { rounds = 5, wrap = (a: string[]) => a, where = "" } = o;
  const main = ensureBuilt();
  const w = await benchWorld("ready");
  let onReady: (() => void) | undefined;
  const notify = await notifySocket((msg) => msg.split("\n").includes("READY=1") && onReady?.());
  const file = config(w.dir, w.link, w.broker);
  const imports = BARE_IMPORTS.map((p) => `await import(${JSON.stringify(p)});`).join(" ");
  const ours: number[] = [];
  const base: number[] = [];
  let d: ChildProcess | undefined;
  try {
    for (let r = 0; r < rounds; r++) {
      const ready = new Promise<void>((resolve) => (onReady = resolve));
      let t0 = performance.now();
      d = daemon(main, file, { NOTIFY_SOCKET: notify.path }, [], wrap);
      await ready;
      ours.push(performance.now() - t0);
      await stopChild(d);
      const argv = wrap([process.execPath, ...UNIT.flags, "--input-type=module", "-e", imports]);
      t0 = performance.now();
      const bare = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", env: { ...process.env, ...UNIT.env } });
      await new Promise((resolve) => bare.once("exit", resolve));
      base.push(performance.now() - t0);
    }
    return [
      [
        `cellgate run: start to READY=1${where} (ms, median of ${rounds})`,
        `${w.baseline}, spawn to exit`,
        median(ours),
        median(base),
      ],
    ];
  } finally {
    notify.close();
    await w.close(d ?? daemon(main, file));
  }
}
