import { describe, expect, it } from "vitest";
import { FINAL } from "../../src/remote/index.js";
import { fleetWorld } from "./world.js";

// A 1,000-SIM fleet against the simulator with the account's concurrency enforced (20 requests,
// each held 200 ms by the API, as a real one takes): every gateway answered or reported, one
// Command per SIM (counted by the simulator), and the run close to what the limit allows.
const N = 1000;
const LIMIT = 20;
const LATENCY_MS = 200;

describe("a 1,000-SIM fleet under the account's concurrency limit", () => {
  it("asks every gateway once and gets every answer back, within 1.3x of what the limit allows", async () => {
    const w = await fleetWorld({
      sim: { fleet: N, concurrency: LIMIT, latencyMs: LATENCY_MS, asyncMs: 20, deliveryRetryMs: 200 },
      fleet: { mix: { slow: 0.05, nak: 0.02, offline: 0.03 }, slowMs: 1000, offlineMs: 3000 },
      concurrency: LIMIT,
    });
    // Five healthy gateways' SIMs suspended in the account: the network cannot deliver to them (reported as failed).
    const suspended = w.api.fleet.filter((s) => w.fleet.kindOf(s.sid) === "healthy").slice(100, 105);
    for (const s of suspended) s.status = "suspended";
    const before = w.api.requests.length;
    const t0 = performance.now();
    // --all --filter rate-plan=fleet-plan: the fleet's SIMs, in pages of 1,000.
    const targets = await w.fleetApi.allSims({ "rate-plan": "fleet-plan" });
    expect(targets).toHaveLength(N);
    const { rows, apiFailed } = await w.ask(targets, "status", { timeoutMs: 60_000, pollMs: 500, maxPollMs: 2000 });
    const wall = performance.now() - t0;
    const requests = w.api.requests.length - before;

    expect(apiFailed).toBe(false);
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => FINAL.has(r.state))).toBe(true);
    const by = (s: string) => rows.filter((r) => r.state === s).length;
    const census = w.fleet.census();
    expect(by("failed")).toBe(5);
    expect(by("nak")).toBe(census.nak);
    expect(by("answered")).toBe(N - 5 - census.nak);
    expect(by("no-answer") + by("api-error")).toBe(0);
    expect(rows.filter((r) => r.state === "answered").every((r) => r.correlated)).toBe(true);
    // Exactly one Command per SIM, as the simulator counts them.
    const perSim = new Map<string, number>();
    for (const c of w.api.store.commands) if (c.direction === "to_sim") perSim.set(c.simSid, (perSim.get(c.simSid) ?? 0) + 1);
    expect(perSim.size).toBe(N);
    expect([...perSim.values()].every((n) => n === 1)).toBe(true);
    // The limit held: nothing refused for concurrency, never more in flight than it allows.
    expect(w.api.load.refused).toBe(0);
    expect(w.api.load.peak).toBeLessThanOrEqual(LIMIT);
    // What the limit allows: the requests as long as the simulator held them (200 ms each, longer on
    // a loaded machine), 20 at a time; then the slowest gateway's answer (1 s) and one poll to read
    // it (its interval and two requests). Measured on the simulator's own clock of the requests, so
    // a loaded machine stretches both sides alike: the bound is on how well the client keeps the
    // account's concurrency busy, not on the machine's speed (that is the bench's fleet row).
    const busy = w.api.load.busyMs;
    const allowed = Math.max(busy / LIMIT, (N * LATENCY_MS) / LIMIT) + 1000 + 500 + 2 * LATENCY_MS;
    console.log(
      `[measured] ${N} SIMs in ${(wall / 1000).toFixed(1)} s, ${requests} requests; the limit allows ` +
        `${(allowed / 1000).toFixed(1)} s (ratio ${(wall / allowed).toFixed(2)}); ${((N / wall) * 1000).toFixed(0)} ` +
        `SIMs/s against a ceiling of ${(LIMIT / LATENCY_MS) * 1000}`,
    );
    expect(requests).toBeLessThan(N * 1.1);
    expect(wall).toBeLessThanOrEqual(1.3 * allowed);
  }, 120_000);

  it("asked with more concurrency than the account has: 429s are waited out, the window shrinks, still one Command per SIM", async () => {
    const w = await fleetWorld({
      sim: { fleet: 200, concurrency: 5, latencyMs: 50, asyncMs: 20 },
      concurrency: 20,
    });
    const targets = await w.fleetApi.allSims({ "rate-plan": "fleet-plan" });
    const { rows, apiFailed } = await w.ask(targets, "signal", { timeoutMs: 60_000, pollMs: 300 });
    expect(apiFailed).toBe(false);
    expect(rows.filter((r) => r.state === "answered")).toHaveLength(200);
    expect(w.api.load.refused).toBeGreaterThan(0);
    expect(w.limiter.limit).toBeLessThan(20);
    const perSim = new Map<string, number>();
    for (const c of w.api.store.commands) if (c.direction === "to_sim") perSim.set(c.simSid, (perSim.get(c.simSid) ?? 0) + 1);
    expect([...perSim.values()].every((n) => n === 1)).toBe(true);
    expect(perSim.size).toBe(200);
    console.log(
      `[measured] 200 SIMs at --concurrency 20 on an account allowing 5: ${w.api.load.refused} requests refused (429), ` +
        `the window settled at ${w.limiter.limit}`,
    );
  }, 120_000);
});
