import { describe, expect, it } from "vitest";
import { SimLookup } from "../../src/api/index.js";
import { ManualClock } from "../../src/core/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { apiHarness, count } from "../helpers/api-client.js";

// The carrier's view of the gateway's SIM, over real HTTP against the simulator.
const h = apiHarness();

describe("carrier view", () => {
  it("joins SIM, rate plan, this month's usage and the last data session, by the modem's ICCID in any form", async () => {
    const sim = await startApiSimulator();
    const { carrier } = h.client(sim);
    for (const iccid of ["8988307000012345678", "8988307000012345678F", '"8988307000012345678f"']) {
      const v = await carrier.view(iccid);
      expect(v.sim).toMatchObject({ sid: sim.gatewaySim.sid, status: "active", iccid: "8988307000012345678" });
      expect(v.plan).toMatchObject({
        name: "gateway-plan",
        dataEnabled: true,
        dataLimitMb: 500,
        messagingEnabled: true,
        nationalRoamingEnabled: true,
      });
      expect(v.usage).toMatchObject({ dataBytes: 120_000_000, limitBytes: 500_000_000, percentOfLimit: 24 });
      expect(v.lastDataSession).toMatchObject({ radioLink: "LTE", operatorName: "T-Mobile", open: false });
      expect(v.errors).toEqual({});
    }
    const err = await h.rejection(carrier.view("89883070000999999999"));
    expect(err.code).toBe("CG_ERR_API_NOT_FOUND");
    expect((await h.rejection(carrier.view("12345"))).code).toBe("CG_ERR_API_CONFIG");
  });

  it("reports a part that failed and keeps the rest", async () => {
    const sim = await startApiSimulator();
    const { carrier } = h.client(sim, { retries: 0 });
    sim.inject({ status: 500 }, { path: /UsageRecords/ });
    const v = await carrier.view("8988307000012345678");
    expect(v.usage).toBeNull();
    expect(v.errors.usage).toContain("CG_ERR_API_UNAVAILABLE");
    expect(v.plan?.name).toBe("gateway-plan");
  });

  it("Super SIM: the same view from Sims, Fleets and UsageRecords", async () => {
    const sim = await startApiSimulator({ product: "super-sim" });
    const c = h.client(sim, { product: "super-sim" });
    const v = await c.carrier.view("8988307000012345678");
    expect(v.product).toBe("super-sim");
    expect(v.sim).toMatchObject({ sid: sim.gatewaySim.sid, status: "active" });
    expect(v.plan).toMatchObject({ name: "gateways", dataEnabled: true, dataLimitMb: 1000, messagingEnabled: true });
    expect(v.usage).toMatchObject({ dataBytes: 10_000_000, limitBytes: 1_000_000_000, percentOfLimit: 1 });
    expect(v.attachThrottled).toBeNull();
    expect(v.errors).toEqual({});
  });

  it("Super SIM: an attach refused for rate limiting (83703) is read from the Monitor API's alerts, this SIM's only", async () => {
    const sim = await startApiSimulator({ product: "super-sim", fleet: 2 });
    const c = h.client(sim, { product: "super-sim" });
    const other = sim.fleet[0]!;
    sim.refuseAttach(other.sid); // another SIM's alert is not this gateway's
    expect((await c.carrier.view("8988307000012345678")).attachThrottled).toBeNull();
    const mine = sim.refuseAttach();
    const seen: string[] = [];
    sim.onResponse((r) => void (r.operationId === "ListAlert" && seen.push(r.path)));
    const v = await c.carrier.view("8988307000012345678");
    expect(v.attachThrottled).toEqual({ at: new Date(mine.at).toISOString().slice(0, 19) + "Z", text: mine.text });
    expect(seen).toEqual(["/v1/Alerts"]);
    expect(v.errors).toEqual({});
  });

  it("Super SIM: alerts that cannot be read leave the rest of the view, with why", async () => {
    const sim = await startApiSimulator({ product: "super-sim" });
    const c = h.client(sim, { product: "super-sim", retries: 0 });
    sim.inject({ status: 503 }, { path: /^\/v1\/Alerts/ });
    const v = await c.carrier.view("8988307000012345678");
    expect(v.plan).toMatchObject({ name: "gateways" });
    expect(v.attachThrottled).toBeUndefined();
    expect(v.errors.alerts).toMatch(/503/);
  });

  it("SimLookup caches the view with its age and refreshes on demand", async () => {
    const sim = await startApiSimulator();
    const { carrier } = h.client(sim);
    const clock = new ManualClock(Date.now());
    const lookup = new SimLookup(carrier, () => "8988307000012345678F", { clock });
    expect(lookup.peek()).toBeUndefined();
    const first = await lookup.get();
    clock.advance(5000);
    const again = await lookup.get(60_000);
    expect(again.fetchedAt).toBe(first.fetchedAt);
    expect(again.ageMs).toBe(5000);
    expect(count(sim, "GET /v1/Sims")).toBe(1);
    const fresh = await lookup.get(1000);
    expect(fresh.ageMs).toBe(0);
    expect(count(sim, "GET /v1/Sims")).toBe(2);
    sim.inject({ reset: true }, { times: 20 });
    const c2 = new SimLookup(h.client(sim, { retries: 0 }).carrier, () => "8988307000012345678", { clock });
    await expect(c2.refresh()).rejects.toThrow();
    expect(lookup.peek()?.view.sim.sid).toBe(sim.gatewaySim.sid);
  });

  it("SimLookup refreshes on its interval and keeps the last good view when a refresh fails", async () => {
    const sim = await startApiSimulator();
    const clock = new ManualClock(Date.now());
    const lookup = new SimLookup(h.client(sim, { retries: 0 }).carrier, () => "8988307000012345678", { clock, log: h.log });
    lookup.start(60_000);
    await expect.poll(() => lookup.peek()?.view.sim.sid).toBe(sim.gatewaySim.sid);
    const first = lookup.peek()!.fetchedAt;
    sim.inject({ status: 500 }, { path: /^\/v1\/Sims$/ });
    clock.advance(60_000);
    await expect.poll(() => h.lines.join("")).toContain("SIM lookup refresh failed");
    expect(lookup.peek()!.fetchedAt).toBe(first);
    expect(lookup.peek()!.ageMs).toBe(60_000);
    clock.advance(60_000);
    await expect.poll(() => lookup.peek()!.fetchedAt).toBe(first + 120_000);
    lookup.stop();
    expect(count(sim, "GET /v1/Sims")).toBe(3);
  });
});
