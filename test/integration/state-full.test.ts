import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriber } from "../helpers/broker.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { waitFor } from "../helpers/pty-modem.js";

// A full state directory, for real, in CI and without root: the running daemon's RLIMIT_FSIZE
// is set to 0 with prlimit(1), so every write to a file there fails (EFBIG; node ignores
// SIGXFSZ) exactly where a full disk fails, and is lifted again as space is freed.
const HAS_PRLIMIT = spawnSync("prlimit", ["--version"]).error === undefined;
const KEY = "state e2e command key 0123456789";

let w: E2eWorld;
let health: Awaited<ReturnType<typeof subscriber>>;

function fsizeLimit(limit: "0" | "unlimited"): void {
  const r = spawnSync("prlimit", ["--pid", String(w.daemon()!.pid), `--fsize=${limit}:unlimited`], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}
const runs = () => w.events("command-run").map((e) => String(e.json.verb));
const stateCheck = () =>
  (health.got.at(-1)?.json.checks as Array<{ id: string; status: string; detail: string }> | undefined)?.find(
    (c) => c.id === "state",
  );

beforeAll(async () => {
  if (!HAS_PRLIMIT) return;
  w = await e2eWorld({ id: "state-gw", key: KEY });
  health = await subscriber(w.broker.url, [`${w.prefix}/health`]);
  w.start();
  await waitFor(() => w.events("back-online").length === 1, 30_000, "the daemon to be back online");
}, 60_000);

afterAll(async () => {
  await health?.close();
  await w?.close();
});

describe.runIf(HAS_PRLIMIT)("a full state directory loses nothing and runs nothing twice", () => {
  it("Commands wait on the modem while the state directory cannot be written, then run once each; health and events say so", async () => {
    await waitFor(() => stateCheck()?.status === "pass", 15_000, "a passing state check");
    fsizeLimit("0");
    const texts = await Promise.all(["status", "signal", "net"].map((v) => w.sign(v)));
    const sids: string[] = [];
    for (const t of texts) sids.push(await w.post(t));
    await waitFor(() => w.events("state").length >= 1, 20_000, "the state event");
    expect(w.events("state")[0]!.json.detail).toMatch(/^the state directory cannot be written \(.*(EFBIG|too large)/i);
    await waitFor(() => w.modem.sim.store.used("ME") === 3, 20_000, "the three SMS on the modem");
    await waitFor(() => stateCheck()?.status === "fail", 15_000, "a failing state check");
    expect(stateCheck()!.detail).toMatch(/^cannot write .*state/);
    await waitFor(() => (w.out.logs.match(/SMS not handed off/g) ?? []).length >= 3, 20_000, "the inbox to try them");
    // Tried and refused: still on the modem, not published, not run, nothing in memory to run later.
    expect(w.modem.sim.store.used("ME")).toBe(3);
    expect(runs()).toEqual([]);
    for (const sid of sids) expect(w.received(sid)).toEqual([]);

    fsizeLimit("unlimited"); // space freed
    await waitFor(
      () => w.events("state").some((e) => e.json.detail === "the state directory can be written again"),
      20_000,
      "recovery",
    );
    await waitFor(() => runs().length === 3 && w.modem.sim.store.used("ME") === 0, 30_000, "the three Commands run");
    await waitFor(() => ["status ", "signal ", "net "].every((p) => w.fromSim().some((c) => c.startsWith(p))), 30_000, "replies");
    await waitFor(() => stateCheck()?.status === "pass", 15_000, "the state check passing again");
    expect(runs().sort()).toEqual(["net", "signal", "status"]);
    for (const sid of sids) expect(w.received(sid), sid).toHaveLength(1);
  }, 120_000);

  it("with the broker down as well: once both are back, each Command is published once and run once", async ({
    onTestFailed,
  }) => {
    onTestFailed(() => console.log(w.out.logs.slice(-8000)));
    await w.broker.stop();
    await waitFor(() => w.out.logs.includes('"msg":"MQTT disconnected"'), 15_000, "the daemon to notice the broker");
    fsizeLimit("0");
    const before = runs().length;
    const sids: string[] = [];
    for (const v of ["status", "signal"]) sids.push(await w.post(await w.sign(v)));
    await waitFor(() => w.modem.sim.store.used("ME") === 2, 20_000, "the SMS on the modem");
    const failures = () => (w.out.logs.match(/SMS not handed off/g) ?? []).length;
    const seen = failures();
    await waitFor(() => failures() >= seen + 2, 60_000, "the inbox to try them while nothing can be written");
    fsizeLimit("unlimited");
    await waitFor(() => w.modem.sim.store.used("ME") === 0, 30_000, "the SMS handed off to the outbox and deleted");
    await w.broker.start();
    // The link retries on its back-off, up to 30 s apart after a long outage: then it flushes.
    await waitFor(() => sids.every((sid) => w.received(sid).length > 0) && runs().length === before + 2, 90_000, "delivery");
    await new Promise((r) => setTimeout(r, 2000)); // anything extra the outbox held would arrive now
    for (const sid of sids) expect(w.received(sid), sid).toHaveLength(1);
    expect(runs().slice(before).sort()).toEqual(["signal", "status"]);
  }, 240_000);
});
