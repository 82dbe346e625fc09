import { describe, expect, it } from "vitest";
import { apiRetryDelayMs, SimLookup } from "../../src/api/index.js";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { apiHarness } from "../helpers/api-client.js";

const h = apiHarness();
const REFRESH = 900_000;
const err = (code: ConstructorParameters<typeof CellgateError>[0], detail: Record<string, unknown> = {}) =>
  new CellgateError(code, code, detail);
const mid = () => 0.5; // no jitter

describe("how long the API is left alone after a failure", () => {
  it.each<[string, unknown, number, number]>([
    ["refused credentials: an hour", err("CG_ERR_API_AUTH"), 1, 3_600_000],
    ["no credentials configured: an hour", err("CG_ERR_API_CONFIG"), 5, 3_600_000],
    ["the SIM is not in the account: the refresh interval", err("CG_ERR_API_NOT_FOUND"), 1, REFRESH],
    ["5xx, first failure: 30 s", err("CG_ERR_API_UNAVAILABLE"), 1, 30_000],
    ["5xx, third failure: 2 min", err("CG_ERR_API_UNAVAILABLE"), 3, 120_000],
    ["5xx, tenth failure: capped at the refresh interval", err("CG_ERR_API_UNAVAILABLE"), 10, REFRESH],
    ["an answer of the wrong shape: backs off the same way", err("CG_ERR_API_RESPONSE"), 2, 60_000],
    ["429 with Retry-After 10 min: as the API said", err("CG_ERR_API_RATE_LIMIT", { retryAfterMs: 600_000 }), 1, 600_000],
    ["429 without Retry-After: at least a minute", err("CG_ERR_API_RATE_LIMIT", { retryAfterMs: null }), 1, 60_000],
    ["something uncoded: backs off", new Error("socket hang up"), 1, 30_000],
  ])("%s", (_name, e, failures, ms) => expect(apiRetryDelayMs(e, failures, REFRESH, mid)).toBe(ms));

  it("is jittered within ±20 %", () => {
    const e = err("CG_ERR_API_UNAVAILABLE");
    expect(apiRetryDelayMs(e, 1, REFRESH, () => 0)).toBe(24_000);
    expect(apiRetryDelayMs(e, 1, REFRESH, () => 0.99999)).toBeCloseTo(36_000, -1);
  });
});

describe("SimLookup over real HTTP: a failing API is not asked on every poll", () => {
  /** Polls every 2 s for `ms` (the daemon's poller in a test config), returning the requests the API got. */
  async function poll(sim: Awaited<ReturnType<typeof startApiSimulator>>, lookup: SimLookup, clock: ManualClock, ms: number) {
    const before = sim.requests.length;
    for (let t = 0; t < ms; t += 2000) {
      await lookup.refreshIfDue(REFRESH).catch(() => {});
      clock.advance(2000);
    }
    return sim.requests.length - before;
  }

  it("refused credentials: one request in an hour of 2-s polls, not 1,800", async () => {
    const sim = await startApiSimulator();
    const { carrier } = h.client(sim, { credentials: { username: sim.credentials.apiKeySid, password: "wrong" } });
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const lookup = new SimLookup(carrier, () => sim.gatewaySim.iccid, { clock });
    expect(await poll(sim, lookup, clock, 3_590_000)).toBe(1);
    expect(await poll(sim, lookup, clock, 20_000)).toBe(1); // an hour later: asked again
  });

  it("5xx: backs off 30 s, 60 s, 120 s…; once the API answers again the view is fresh and it waits the refresh interval", async () => {
    const sim = await startApiSimulator();
    const { carrier } = h.client(sim, { retries: 0 });
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const lookup = new SimLookup(carrier, () => sim.gatewaySim.iccid, { clock });
    sim.inject({ status: 503 }, { times: 4 });
    // Ten minutes of 2-s polls (300): four failed attempts at about 0, 30, 90, 210 s, then the one
    // at about 450 s succeeds (a view is a few requests), instead of a request on every poll.
    const failing = await poll(sim, lookup, clock, 600_000);
    expect(lookup.peek()?.view.sim.status).toBe("active");
    expect(sim.requests.filter((r) => r === "GET /v1/Sims").length).toBe(5);
    expect(failing).toBeLessThan(12);
    expect(await poll(sim, lookup, clock, 300_000)).toBe(0); // fresh: nothing until the refresh interval
  });
});
