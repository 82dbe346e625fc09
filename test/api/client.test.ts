import { describe, expect, it } from "vitest";
import type { ApiClient } from "../../src/api/index.js";
import { answeredOperations, startApiSimulator } from "../helpers/api-sim.js";
import { apiHarness, count } from "../helpers/api-client.js";
import { callbackServer } from "../helpers/capture.js";

// The Wireless API client over real HTTP against the simulator on loopback; every simulator
// answer is checked against the published spec (helpers/api-sim.ts), every log line searched
// for credentials (helpers/api-client.ts).
const h = apiHarness();

describe("Sims", () => {
  it("pages through every SIM following next_page_url, with a limit", async () => {
    const sim = await startApiSimulator({ log: h.log });
    const { wireless } = h.client(sim);
    const all = await wireless!.all(wireless!.listSims({}, { pageSize: 5 }));
    expect(all).toHaveLength(12);
    expect(new Set(all.map((s) => s.sid)).size).toBe(12);
    expect(count(sim, "GET /v1/Sims")).toBe(3);
    const five = await wireless!.all(wireless!.listSims({}, { limit: 7, pageSize: 5 }));
    expect(five.map((s) => s.sid)).toEqual(all.slice(0, 7).map((s) => s.sid));
  });

  it("filters by Status, Iccid, RatePlan (SID or unique name), EId and SimRegistrationCode", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const active = await wireless!.all(wireless!.listSims({ status: "active" }));
    expect(active.length).toBeGreaterThan(1);
    expect(active.every((s) => s.status === "active")).toBe(true);
    const [mine, ...rest] = await wireless!.all(wireless!.listSims({ iccid: "8988307000012345678" }));
    expect(rest).toEqual([]);
    expect(mine).toMatchObject({
      sid: sim.gatewaySim.sid,
      uniqueName: "gateway-0001",
      iccid: "8988307000012345678",
      status: "active",
    });
    const onPlan = await wireless!.all(wireless!.listSims({ ratePlan: "no-roaming" }));
    const plan = await wireless!.fetchRatePlan("no-roaming");
    expect(onPlan.length).toBe(4);
    expect(onPlan.every((s) => s.ratePlanSid === plan.sid)).toBe(true);
    const esims = (await wireless!.all(wireless!.listSims())).filter((s) => typeof s.eId === "string");
    expect(esims.length).toBeGreaterThan(1);
    expect(await wireless!.all(wireless!.listSims({ eId: esims[1]!.eId! }))).toEqual([esims[1]]);
    const fresh = await wireless!.all(wireless!.listSims({ status: "new" }));
    const claimed = await wireless!.all(wireless!.listSims({ simRegistrationCode: "RC4715" }));
    expect(claimed).toHaveLength(1);
    expect(fresh.map((s) => s.sid)).toContain(claimed[0]!.sid);
    expect(await wireless!.all(wireless!.listSims({ simRegistrationCode: "RC0000" }))).toEqual([]);
    const err = await h.rejection(wireless!.all(wireless!.listSims({ status: "sleepy" })));
    expect(err.code).toBe("CG_ERR_API_HTTP");
    expect(err.detail).toMatchObject({ status: 400, apiCode: 20001 });
    expect(err.message).toContain("Invalid Status: sleepy");
  });

  it("fetches by SID and by unique name; a missing SIM is CG_ERR_API_NOT_FOUND with the API's code", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const bySid = await wireless!.fetchSim(sim.gatewaySim.sid);
    const byName = await wireless!.fetchSim("gateway-0001");
    expect(byName).toEqual(bySid);
    expect(bySid.accountSid).toBe(sim.credentials.accountSid);
    expect(bySid.url).toBe(`${sim.baseUrl}/v1/Sims/${bySid.sid}`);
    const err = await h.rejection(wireless!.fetchSim("no-such-sim"));
    expect(err.code).toBe("CG_ERR_API_NOT_FOUND");
    expect(err.detail).toMatchObject({ status: 404, apiCode: 20404, moreInfo: "https://www.twilio.com/docs/errors/20404" });
  });

  it("changes status asynchronously: 202 + updating, then the callback, then the new status", async () => {
    const sim = await startApiSimulator();
    const hook = await callbackServer();
    const { wireless } = h.client(sim);
    try {
      const updated = await wireless!.updateSim("gateway-0001", {
        status: "suspended",
        callbackUrl: hook.url,
        callbackMethod: "POST",
        friendlyName: "parked",
      });
      expect(updated.status).toBe("updating");
      expect(updated.friendlyName).toBe("parked");
      const hit = await hook.next();
      expect(hit.method).toBe("POST");
      expect(Object.fromEntries(hit.params)).toEqual({
        AccountSid: sim.credentials.accountSid,
        SimSid: sim.gatewaySim.sid,
        Status: "suspended",
      });
      expect((await wireless!.fetchSim("gateway-0001")).status).toBe("suspended");
      const reset = await wireless!.updateSim("gateway-0001", { resetStatus: "resetting" });
      expect(reset.resetStatus).toBe("resetting");
      const err = await h.rejection(wireless!.updateSim("gateway-0001", { status: "canceled" }));
      expect(err.detail).toMatchObject({ status: 400, apiCode: 20001 });
    } finally {
      await hook.close();
    }
  });
});

describe("RatePlans, usage, data sessions", () => {
  it("lists and fetches rate plans with their limits and roaming", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const plans = await wireless!.all(wireless!.listRatePlans({ pageSize: 1 }));
    expect(plans.map((p) => p.uniqueName)).toEqual(["gateway-plan", "no-roaming"]);
    expect(plans[0]).toMatchObject({
      dataEnabled: true,
      dataLimitMb: 500,
      messagingEnabled: true,
      nationalRoamingEnabled: true,
      internationalRoaming: ["data", "messaging"],
    });
    expect(await wireless!.fetchRatePlan(plans[1]!.sid)).toEqual(plans[1]);
  });

  it("reads SIM and account usage records with Start, End and Granularity", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [month, ...none] = await wireless!.all(
      wireless!.simUsageRecords(sim.gatewaySim.sid, { start, end: now, granularity: "all" }),
    );
    expect(none).toEqual([]);
    expect(month!.data).toMatchObject({ total: 120_000_000, upload: 20_000_000, download: 100_000_000 });
    expect(Date.parse(month!.periodStart!)).toBe(start.getTime());
    const days = await wireless!.all(
      wireless!.simUsageRecords(sim.gatewaySim.sid, {
        start: new Date(now.getTime() - 3 * 86_400_000),
        end: now,
        granularity: "daily",
      }),
    );
    expect(days).toHaveLength(3);
    expect(days.reduce((a, d) => a + (d.data.total ?? 0), 0)).toBe(120_000_000);
    const account = await wireless!.all(wireless!.accountUsageRecords({ start, end: now, granularity: "all" }));
    expect(account[0]!.data.total).toBe(120_000_000);
    const err = await h.rejection(
      wireless!.all(wireless!.simUsageRecords(sim.gatewaySim.sid, { granularity: "weekly" as "daily" })),
    );
    expect(err.detail).toMatchObject({ status: 400 });
  });

  it("lists data sessions, newest first", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const [s] = await wireless!.all(wireless!.dataSessions(sim.gatewaySim.sid));
    expect(s).toMatchObject({
      radioLink: "LTE",
      operatorName: "T-Mobile",
      operatorMcc: "310",
      operatorMnc: "260",
      cellId: "310-260-11544-50896642",
    });
  });
});

describe("Commands", () => {
  it("creates with every parameter, follows queued → sent → delivered, calls back, lists with filters, fetches", async () => {
    const sim = await startApiSimulator();
    const hook = await callbackServer();
    const { wireless } = h.client(sim);
    try {
      const created = await wireless!.createCommand({
        sim: "gateway-0001",
        command: "status",
        commandMode: "text",
        includeSid: "start",
        deliveryReceiptRequested: true,
        callbackUrl: hook.url,
        callbackMethod: "GET",
      });
      expect(created).toMatchObject({
        simSid: sim.gatewaySim.sid,
        command: "status",
        commandMode: "text",
        transport: "sms",
        status: "queued",
        direction: "to_sim",
        deliveryReceiptRequested: true,
      });
      const hit = await hook.next();
      expect(hit.method).toBe("GET");
      expect(hit.params.get("CommandSid")).toBe(created.sid);
      expect(hit.params.get("CommandStatus")).toBe("delivered");
      expect((await wireless!.fetchCommand(created.sid)).status).toBe("delivered");
      const binary = await wireless!.createCommand({
        sim: sim.gatewaySim.sid,
        command: Buffer.from([0, 1, 2, 0xff]).toString("base64"),
        commandMode: "binary",
        deliveryReceiptRequested: false,
      });
      expect(binary.commandMode).toBe("binary");
      const mine = await wireless!.all(wireless!.listCommands({ sim: "gateway-0001", direction: "to_sim" }));
      expect(mine.map((c) => c.sid)).toEqual([binary.sid, created.sid]);
      expect(await wireless!.all(wireless!.listCommands({ direction: "from_sim" }))).toEqual([]);
      const delivered = await wireless!.all(wireless!.listCommands({ status: "delivered" }));
      expect(delivered.map((c) => c.sid)).toEqual([created.sid]);
    } finally {
      await hook.close();
    }
  });

  it("refuses bad parameters with the API's 400 and says which", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const cases: Array<[Parameters<NonNullable<ApiClient["wireless"]>["createCommand"]>[0], string]> = [
      [{ sim: "gateway-0001", command: "" }, "Missing required parameter Command"],
      [{ sim: "gateway-0001", command: "x".repeat(129), includeSid: "end" }, "the limit is 128"],
      [{ sim: "gateway-0001", command: "not base64!", commandMode: "binary" }, "not valid base64"],
      [{ sim: "gateway-0001", command: "AAE=", commandMode: "binary", includeSid: "start" }, "IncludeSid is only for text"],
      [{ sim: "gateway-0001", command: "hi", callbackUrl: "ftp:/nope" }, "Invalid CallbackUrl"],
    ];
    for (const [c, why] of cases) {
      const err = await h.rejection(wireless!.createCommand(c));
      expect(err.code, why).toBe("CG_ERR_API_HTTP");
      expect(err.message).toContain(why);
    }
    expect((await h.rejection(wireless!.createCommand({ sim: "nobody", command: "hi" }))).code).toBe("CG_ERR_API_NOT_FOUND");
  });

  it("fails a Command to a suspended SIM", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    const [suspended] = await wireless!.all(wireless!.listSims({ status: "suspended" }, { limit: 1 }));
    const c = await wireless!.createCommand({ sim: suspended!.sid, command: "ping" });
    await expect.poll(async () => (await wireless!.fetchCommand(c.sid)).status).toBe("failed");
  });
});

describe("conformance coverage", () => {
  it("the simulator answered every Wireless operation the client uses", () => {
    for (const op of [
      "ListSim",
      "FetchSim",
      "UpdateSim",
      "ListRatePlan",
      "FetchRatePlan",
      "CreateCommand",
      "ListCommand",
      "FetchCommand",
      "ListUsageRecord",
      "ListAccountUsageRecord",
      "ListDataSession",
    ]) {
      expect(answeredOperations, op).toContain(op);
    }
  });
});
