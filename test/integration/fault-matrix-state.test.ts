import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlRequest } from "../../src/runtime/index.js";
import { exited } from "../helpers/daemon-proc.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { Ledger } from "../helpers/ledger.js";
import { burst, matrixRows, settle } from "../helpers/matrix.js";
import { waitFor } from "../helpers/pty-modem.js";
import { offsetClock } from "../helpers/skewed-clock.js";

// The fault matrix, part 2: the state directory and the clocks (fault-matrix.test.ts explains
// the counting). The state directory is a tmpfs of its own (we run as root, here and in CI):
// "full" is that tmpfs filled (ENOSPC, new files and appends alike), "read-only" a read-only
// bind mount over it (EROFS for every file opened from then on; a remount of the tmpfs itself is
// refused while the daemon holds files open), "slow" strace(1) attached to the daemon delaying
// every fsync by 300 ms. The daemon's wall clock is moved through a preloaded module
// (test/helpers/skewed-clock.ts: setting the machine's clock would move every process on it);
// the network's time (+QLTS) and the SMS time stamps come from the modem simulator's clock.
const KEY = "fault matrix state key 0123456789ab";
const HOUR = 3_600_000;
const ROOT = process.getuid?.() === 0;
const HAS_STRACE = spawnSync("strace", ["-V"]).error === undefined;
const m = matrixRows("Fault matrix: the state directory and the clocks");
const net = offsetClock();
const clockFile = join(mkdtempSync(join(tmpdir(), "cellgate-clock-")), "offset-ms");
let w: E2eWorld;
let ledger: Ledger;
let state: string;
let mounts = 0;

const sh = (cmd: string, ...args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
};

/** A mount on the state directory (counted: each is undone at the end). */
const mount = (...args: string[]) => {
  sh("mount", ...args);
  mounts++;
};

beforeAll(async () => {
  writeFileSync(clockFile, "0");
  w = await e2eWorld({
    id: "matrix-state",
    key: KEY,
    persistentApp: true,
    modem: { clock: net, network: { nitzTzMinutes: null } }, // no network time until a case gives it
    preload: [join(import.meta.dirname, "../helpers/skewed-clock.ts")],
    env: { SKEWED_CLOCK_FILE: clockFile },
  });
  state = join(w.dir, "state");
  mkdirSync(state);
  if (ROOT) mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", state);
  ledger = new Ledger({
    key: KEY,
    sim: w.modem.sim,
    messages: () => w.app.got,
    prefix: w.prefix,
    journal: join(state, "commands/journal.json"),
  });
  w.start();
  await waitFor(() => w.events("back-online").length === 1, 60_000, "the daemon to be back online");
}, 90_000);

afterAll(async () => {
  m.print();
  if (process.env.CELLGATE_MATRIX_LOG) writeFileSync(`${process.env.CELLGATE_MATRIX_LOG}.state`, w.out.logs);
  const d = w?.daemon();
  if (d && d.exitCode === null && d.signalCode === null) {
    d.kill("SIGTERM");
    await exited(d);
  }
  for (; mounts > 0; mounts--) spawnSync("umount", [state]);
  await w?.close();
  rmSync(dirname(clockFile), { recursive: true, force: true });
});

const stateEvents = (detail: RegExp) => w.events("state").filter((e) => detail.test(String(e.json.detail)));

/** Commands sent while the state directory cannot be written stay on the modem; once it can, each runs once. */
async function unwritable(fault: string, note: string, apply: () => void, undo: () => void): Promise<void> {
  const failing = stateEvents(/cannot be written/).length;
  const tried = () => w.out.logs.match(/SMS not handed off/g)?.length ?? 0;
  const before = tried();
  apply();
  let undone = false;
  try {
    const tags = burst(ledger);
    await waitFor(() => stateEvents(/cannot be written/).length > failing, 30_000, "the state event");
    await waitFor(() => tried() >= before + tags.length, 30_000, "the inbox to try each and keep it");
    expect(w.modem.sim.store.used("ME")).toBe(tags.length); // still on the modem
    expect(ledger.counts(tags)).toMatchObject({ handedOff: 0, run: 0, replied: 0 });
    const back = stateEvents(/can be written again/).length;
    undo();
    undone = true;
    await waitFor(() => stateEvents(/can be written again/).length > back, 30_000, "the state directory back");
    m.record({ fault, counts: await settle(ledger, tags, 60_000), note });
  } finally {
    if (!undone) undo();
  }
}

describe.runIf(ROOT)("the state directory", () => {
  it("full (ENOSPC): Commands wait on the modem, then run once each when space is freed", async () => {
    const ballast = join(state, "ballast");
    const { bavail, bsize } = statfsSync(state);
    await unwritable(
      "state directory full",
      "its tmpfs filled (ENOSPC), then freed",
      () => writeFileSync(ballast, Buffer.alloc(Number(bavail) * Number(bsize))),
      () => rmSync(ballast),
    );
  }, 120_000);

  it("read-only (EROFS): the same", async () => {
    await unwritable(
      "state directory read-only",
      "a read-only bind mount over it (EROFS), then removed",
      () => {
        mount("--bind", state, state);
        sh("mount", "-o", "remount,ro,bind", state);
      },
      () => {
        sh("umount", state);
        mounts--;
      },
    );
  }, 120_000);

  it.runIf(HAS_STRACE)(
    "slow (every fsync 300 ms): Commands take longer, none lost, none twice",
    async () => {
      const pid = String(w.daemon()!.pid);
      const trace: ChildProcess = spawn(
        "strace",
        ["-f", "-p", pid, "-o", "/dev/null", "-e", "trace=fsync,fdatasync", "-e", "inject=fsync,fdatasync:delay_enter=300000"],
        { stdio: "ignore" },
      );
      try {
        const counts = await settle(ledger, burst(ledger), 90_000);
        m.record({ fault: "state directory slow", counts, note: "strace delays every fsync/fdatasync by 300 ms" });
      } finally {
        trace.kill("SIGTERM"); // strace detaches and the daemon runs on
        await exited(trace);
      }
    },
    120_000,
  );
});

/** The daemon's own idea of now, from its health report. */
async function daemonNow(): Promise<number> {
  return Date.parse((await controlRequest(join(w.dir, "control.sock"), "status", { fresh: true }, 20_000)).report.at);
}

async function setDaemonClock(offsetMs: number): Promise<void> {
  writeFileSync(clockFile, String(offsetMs));
  let now = 0;
  await waitFor(
    () => Math.abs(now - Date.now() - offsetMs) < 60_000,
    30_000,
    "the daemon's clock moved",
    async () => (now = await daemonNow()),
  );
}

/** The Commands run once; the same signed texts delivered again under new SIDs (replays) are each refused. */
async function replayed(tags: number[], mark = "bb"): Promise<void> {
  await settle(ledger, tags, 60_000);
  const sids = tags.map((t) => `DC${mark}${t.toString(16).padStart(30, "0")}`);
  tags.forEach((t, i) => ledger.deliver(t, undefined, sids[i]));
  const refused = () =>
    w.events("command-rejected").filter((e) => sids.includes(String(e.json.sid)) && e.json.reason === "replay");
  await waitFor(() => refused().length === tags.length, 30_000, "each replay refused");
}

describe("the clocks", () => {
  it("the daemon's clock 3 h ahead with no network time: Commands run once (the SC time stamp decides)", async () => {
    await setDaemonClock(3 * HOUR);
    const tags = burst(ledger);
    await replayed(tags);
    m.record({
      fault: "daemon clock 3 h ahead, no network time",
      counts: await settle(ledger, tags),
      note: "each replayed under a new SID: refused",
    });
  }, 120_000);

  it("the daemon's clock jumping back 3 h, then forward again, mid-burst", async () => {
    await setDaemonClock(-3 * HOUR);
    const tags = burst(ledger);
    await waitFor(() => ledger.counts(tags).handedOff >= 1, 30_000, "a hand-off");
    await setDaemonClock(0);
    tags.push(...burst(ledger));
    await replayed(tags);
    m.record({
      fault: "daemon clock jumping −3 h and back",
      counts: await settle(ledger, tags),
      note: "each replayed under a new SID: refused",
    });
  }, 120_000);

  it("network time appearing 3 h ahead, then jumping back: each Command runs once, every replay is refused", async () => {
    net.offsetMs = 3 * HOUR;
    w.modem.sim.setNetwork({ nitzTzMinutes: 0 });
    const netTime = async () =>
      (await controlRequest(join(w.dir, "control.sock"), "status", { fresh: true }, 20_000)).snapshot?.networkTime?.iso;
    let iso: string | undefined;
    await waitFor(
      () => iso !== undefined && Date.parse(iso) > Date.now() + 2 * HOUR,
      60_000,
      "network time",
      async () => (iso = await netTime()),
    );
    // Signed now, so 3 h old on the network's clock: inside the 24 h window of a reading verb.
    const early = burst(ledger);
    await replayed(early, "bb");
    net.offsetMs = 0;
    await waitFor(
      () => iso !== undefined && Math.abs(Date.parse(iso) - Date.now()) < 60_000,
      60_000,
      "network time back",
      async () => (iso = await netTime()),
    );
    await replayed(early, "cc"); // the clock that pruned is back: the same texts again (defect 1)
    const late = burst(ledger);
    await replayed(late, "bb");
    m.record({
      fault: "network time 3 h ahead",
      counts: await settle(ledger, early),
      note: "each replayed under a new SID while ahead and again after the jump back: refused",
    });
    m.record({
      fault: "network time jumping back",
      counts: await settle(ledger, late),
      note: "each replayed under a new SID: refused",
    });
  }, 180_000);
});
