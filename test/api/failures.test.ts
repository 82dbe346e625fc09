import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, createApiClient, type ApiClient } from "../../src/api/index.js";
import { ManualClock } from "../../src/core/index.js";
import type { ApiSimulator } from "../../src/sim/api/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { apiHarness, count } from "../helpers/api-client.js";

// Failure handling over real HTTP: faults injected in the simulator, a hand-rolled server for
// answers that depart from the spec, KORE's OAuth2. All output is searched for credentials.
const h = apiHarness();

describe("failures", () => {
  it("waits as Retry-After says on 429, then succeeds", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    sim.inject({ status: 429, retryAfterS: 1 });
    const t0 = Date.now();
    const s = await wireless!.fetchSim("gateway-0001");
    expect(s.sid).toBe(sim.gatewaySim.sid);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(2);
    expect(h.lines.join("")).toContain('"retryAfterMs":1000');
  });

  it("surfaces a 429 that outlasts the retries as CG_ERR_API_RATE_LIMIT", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim, { retries: 2 });
    sim.inject({ status: 429 }, { times: 3 });
    const err = await h.rejection(wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_RATE_LIMIT");
    expect(err.detail).toMatchObject({ status: 429, apiCode: 20429 });
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(3);
  });

  it("retries 5xx with backoff, then surfaces CG_ERR_API_UNAVAILABLE", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim, { retries: 2 });
    sim.inject({ status: 503 }, { times: 2 });
    expect((await wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(3);
    sim.inject({ status: 500 }, { times: 5 });
    const err = await h.rejection(wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_UNAVAILABLE");
    expect(err.message).toContain("HTTP 500 after 3 attempts");
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(6);
  });

  it("retries a reset connection and a slow answer past the headers timeout", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim, { retries: 2, timeouts: { headersMs: 300 } });
    sim.inject({ reset: true });
    expect((await wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(2);
    sim.inject({ delayMs: 1000 });
    expect((await wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(4);
    sim.inject({ reset: true }, { times: 3 });
    const err = await h.rejection(wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_UNAVAILABLE");
    expect(err.message).toContain("failed after 3 attempts");
  });

  it("never sends a Command's POST again after a 5xx or a reset (it may exist); a 429 was not carried out and is retried", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim, { retries: 3 });
    const create = () => wireless!.createCommand({ sim: "gateway-0001", command: "status" });
    sim.inject({ status: 503 }, { path: /^\/v1\/Commands$/ });
    const e503 = await h.rejection(create());
    expect(e503.code).toBe("CG_ERR_API_UNAVAILABLE");
    expect(e503.detail).toMatchObject({ status: 503, maybeDone: true });
    expect(e503.message).toContain("not sent again: it may have been carried out");
    sim.inject({ reset: true }, { path: /^\/v1\/Commands$/ });
    const reset = await h.rejection(create());
    expect(reset.detail).toMatchObject({ attempts: 1, maybeDone: true });
    expect(count(sim, "POST /v1/Commands")).toBe(2);
    sim.inject({ status: 429, retryAfterS: 0 }, { path: /^\/v1\/Commands$/ });
    expect((await create()).sid).toMatch(/^DC/);
    expect(count(sim, "POST /v1/Commands")).toBe(4);
    // A SIM update sets a state: sending it twice is harmless, so it is retried.
    sim.inject({ status: 503 }, { path: /^\/v1\/Sims\/gateway-0001$/ });
    expect((await wireless!.updateSim("gateway-0001", { friendlyName: "again" })).friendlyName).toBe("again");
    expect(count(sim, "POST /v1/Sims/gateway-0001")).toBe(2);
  });

  it("does not retry 401 and names the credential, not its secret", async () => {
    const sim = await startApiSimulator();
    const bad = h.client(sim, { credentials: { username: sim.credentials.apiKeySid, password: "wrong-secret-0123456789" } });
    h.secrets.add("wrong-secret-0123456789");
    const err = await h.rejection(bad.wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_AUTH");
    expect(err.message).toContain(`API Key ${sim.credentials.apiKeySid.slice(0, 6)}…`);
    expect(err.detail).toMatchObject({ status: 401, apiCode: 20003 });
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(1);
    const viaAccount = h.client(sim, {
      credentials: { username: sim.credentials.accountSid, password: sim.credentials.authToken },
    });
    expect((await viaAccount.wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
  });

  it("a 401 for good credentials (a token rotated at the API) is CG_ERR_API_AUTH, not retried; the next call goes through", async () => {
    const sim = await startApiSimulator();
    const { wireless } = h.client(sim);
    sim.inject({ status: 401 });
    const err = await h.rejection(wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_AUTH");
    expect(err.detail).toMatchObject({ status: 401, apiCode: 20003 });
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(1);
    expect((await wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
  });
});

describe("validation at the edge", () => {
  /** A server that answers whatever the test says, to play an API that departs from its spec. */
  async function rawApi(answer: (path: string) => { status: number; body: string }) {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      const a = answer(req.url ?? "/");
      res.writeHead(a.status, { "content-type": "application/json" }).end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    const c = createApiClient({
      provider: "twilio",
      product: "programmable-wireless",
      baseUrl: `http://127.0.0.1:${port}`,
      credentials: { username: "ACx", password: "y" },
      log: h.log,
      retries: 0,
    });
    h.track(c);
    return { c, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it("keeps to a concurrency limit shared by every request, less what Twilio-Concurrent-Requests says others use", async () => {
    const { createServer } = await import("node:http");
    let now = 0;
    let peak = 0;
    let others = 0;
    const server = createServer((req, res) => {
      peak = Math.max(peak, ++now);
      setTimeout(() => {
        now--;
        res
          .writeHead(200, { "content-type": "application/json", "twilio-concurrent-requests": String(now + 1 + others) })
          .end(JSON.stringify({ sid: `DE${"a".repeat(32)}` }));
      }, 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const limiter = new ConcurrencyLimiter(4);
    const c = h.track(
      createApiClient({
        provider: "twilio",
        product: "programmable-wireless",
        baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        credentials: { username: "ACx", password: "y" },
        log: h.log,
        limiter,
      }),
    );
    try {
      await Promise.all(Array.from({ length: 40 }, () => c.wireless!.fetchSim("x")));
      expect(peak).toBe(4);
      expect(limiter.peak).toBe(4);
      others = 3; // another client of the account now uses 3 of the 4
      await c.wireless!.fetchSim("x");
      expect(limiter.limit).toBe(1);
      peak = 0;
      await Promise.all(Array.from({ length: 10 }, () => c.wireless!.fetchSim("x")));
      expect(peak).toBe(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("keeps unknown enum values and numbers-as-strings, accepts 202 for an update, refuses what is not the API's shape", async () => {
    const sid = `DE${"a".repeat(32)}`;
    const api = await rawApi((path) => {
      if (path.includes("/DataSessions"))
        return {
          status: 200,
          body: JSON.stringify({
            data_sessions: [{ sid: `WN${"b".repeat(32)}`, operator_mcc: 310, operator_mnc: "260", packets_uploaded: "42" }],
            meta: { key: "data_sessions", next_page_url: null },
          }),
        };
      if (path.startsWith("/v1/Sims/html")) return { status: 200, body: "<html>gateway timeout</html>" };
      if (path.startsWith("/v1/Sims/nosid")) return { status: 200, body: JSON.stringify({ status: "active" }) };
      if (/^\/v1\/Sims(\?|$)/.test(path)) return { status: 200, body: JSON.stringify({ sims: "none", meta: { key: "sims" } }) };
      if (path.startsWith("/v1/Sims/"))
        return {
          status: 202,
          body: JSON.stringify({ sid, status: "hibernating", iccid: "8988307000012345678", unique_name: null }),
        };
      return { status: 404, body: "{}" };
    });
    try {
      const s = await api.c.wireless!.updateSim(sid, { status: "active" });
      expect(s).toMatchObject({ sid, status: "hibernating", uniqueName: null });
      const [session] = await api.c.wireless!.all(api.c.wireless!.dataSessions(sid));
      expect(session).toMatchObject({ operatorMcc: "310", operatorMnc: "260" });
      const html = await h.rejection(api.c.wireless!.fetchSim("html"));
      expect(html.code).toBe("CG_ERR_API_RESPONSE");
      expect(html.message).toContain("not JSON");
      expect(html.detail.raw).toContain("<html>");
      const nosid = await h.rejection(api.c.wireless!.fetchSim("nosid"));
      expect(nosid.code).toBe("CG_ERR_API_RESPONSE");
      expect(nosid.message).toContain("sid");
      const list = await h.rejection(api.c.wireless!.all(api.c.wireless!.listSims()));
      expect(list.message).toContain("no sims array");
    } finally {
      await api.close();
    }
  });
});

describe("KORE OAuth2", () => {
  const kore = (sim: ApiSimulator, clock?: ManualClock): ApiClient =>
    h.client(sim, {
      provider: "kore",
      credentials: { clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret },
      ...(clock ? { clock } : {}),
    });
  const tokens = (sim: ApiSimulator) => count(sim, "POST /api-services/v1/auth/token");

  it("fetches a token once, caches it, fetches anew once after a 401, and before expiry", async () => {
    const sim = await startApiSimulator();
    const clock = new ManualClock(Date.now());
    const { wireless } = kore(sim, clock);
    await wireless!.fetchSim("gateway-0001");
    await wireless!.all(wireless!.listRatePlans());
    expect(tokens(sim)).toBe(1);
    sim.revokeTokens();
    expect((await wireless!.fetchSim("gateway-0001")).sid).toBe(sim.gatewaySim.sid);
    expect(tokens(sim)).toBe(2);
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(3); // 200, 401, 200
    clock.advance(3600_000 - 30_000); // inside the early-renewal margin
    await wireless!.fetchSim("gateway-0001");
    expect(tokens(sim)).toBe(3);
  });

  it("a refused client is CG_ERR_API_AUTH naming the client, not its secret", async () => {
    const sim = await startApiSimulator();
    h.secrets.add("not-the-secret-abcdefghij");
    const bad = createApiClient({
      provider: "kore",
      product: "programmable-wireless",
      baseUrl: sim.baseUrl,
      credentials: { clientId: sim.credentials.clientId, clientSecret: "not-the-secret-abcdefghij" },
      log: h.log,
    });
    h.track(bad);
    const err = await h.rejection(bad.wireless!.fetchSim("gateway-0001"));
    expect(err.code).toBe("CG_ERR_API_AUTH");
    expect(err.message).toContain(sim.credentials.clientId.slice(0, 6));
    expect(count(sim, "GET /v1/Sims/gateway-0001")).toBe(0);
  });

  it("a token that keeps being refused is not fetched in a loop", async () => {
    const sim = await startApiSimulator();
    const { wireless } = kore(sim);
    await wireless!.fetchSim("gateway-0001");
    sim.revokeTokens();
    // Revoke again as soon as the fresh token is issued: the second 401 must surface.
    const off = sim.onResponse((r) => {
      if (r.operationId === "token") sim.revokeTokens();
    });
    const err = await h.rejection(wireless!.fetchSim("gateway-0001"));
    off();
    expect(err.code).toBe("CG_ERR_API_AUTH");
    expect(tokens(sim)).toBe(2);
  });
});
