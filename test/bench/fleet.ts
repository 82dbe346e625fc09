import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { ConcurrencyLimiter, createApiClient } from "../../src/api/index.js";
import { SimulatedFleet } from "../../src/cli/fleet.js";
import { commandKey } from "../../src/commands/index.js";
import { FleetApi, FleetAsk } from "../../src/remote/index.js";
import { ApiSimulator } from "../../src/sim/api/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";

/**
 * 9-10. `cellgate remote` asking a fleet of the simulator's gateways (each the real Command
 * processor) over loopback, the account's concurrency enforced by the simulator and each request
 * held as long as the API takes: SIMs asked per second (created, answered, the reply read)
 * against the ceiling the concurrency limit sets (limit / time per request). At the CLI's
 * default concurrency (10), 100 ms per request; then 10,000 SIMs at once, to show the
 * simulator and the asker hold a fleet that size.
 */
async function askFleet(
  n: number,
  concurrency: number,
  latencyMs: number,
): Promise<{ perS: number; rssMb: number; answered: number }> {
  const api = await ApiSimulator.start({ fleet: n, concurrency, latencyMs, asyncMs: 20 });
  const fleetKey = commandKey(randomBytes(32).toString("hex"), "bench");
  const gateways = new SimulatedFleet({ api, fleetKey });
  const limiter = new ConcurrencyLimiter(concurrency);
  const client = createApiClient({
    provider: "twilio",
    product: "programmable-wireless",
    baseUrl: api.baseUrl,
    credentials: { username: api.credentials.apiKeySid, password: api.credentials.apiKeySecret },
    limiter,
    rateLimitRetries: 20,
  });
  try {
    const fleet = new FleetApi(client);
    const t0 = performance.now();
    const targets = await fleet.allSims({ "rate-plan": "fleet-plan" });
    const { rows } = await new FleetAsk({
      api: fleet,
      targets,
      command: "status",
      keys: { kind: "fleet", fleetKey },
      timeoutMs: 600_000,
      workers: 2 * concurrency,
      septets: gsm7Length,
      pollMs: 2000, // the CLI's default
    }).run();
    const s = (performance.now() - t0) / 1000;
    return {
      perS: n / s,
      rssMb: process.memoryUsage().rss / 1e6,
      answered: rows.filter((r) => r.state === "answered").length,
    };
  } finally {
    gateways.stop();
    await client.close();
    await api.close();
  }
}

export async function fleetRows(): Promise<Array<[string, string, number, number]>> {
  const rows: Array<[string, string, number, number]> = [];
  const small = await askFleet(2000, 10, 100);
  if (small.answered !== 2000) throw new Error(`only ${small.answered} of 2,000 gateways answered`);
  rows.push([
    "remote: SIMs asked/s, 2,000 SIMs, --concurrency 10 (default), 100 ms per request",
    "the ceiling the limit sets (10 / 100 ms)",
    small.perS,
    10 / 0.1,
  ]);
  const big = await askFleet(10_000, 100, 20);
  if (big.answered !== 10_000) throw new Error(`only ${big.answered} of 10,000 gateways answered`);
  rows.push([
    "remote: SIMs asked/s, 10,000 SIMs, --concurrency 100, 20 ms per request",
    "the ceiling (100 / 20 ms)",
    big.perS,
    100 / 0.02,
  ]);
  rows.push(["remote: RSS after the 10,000-SIM run, simulator + gateways + asker in one process (MB)", "—", big.rssMb, 0]);
  return rows;
}
