import { randomBytes } from "node:crypto";
import { ConcurrencyLimiter, createApiClient, type ApiClient } from "../../src/api/index.js";
import { SimulatedFleet, type FleetOptions } from "../../src/cli/fleet.js";
import { commandKey } from "../../src/commands/index.js";
import { FleetApi, FleetAsk, type AskOptions, type Target } from "../../src/remote/index.js";
import type { ApiSimulator, ApiSimulatorOptions } from "../../src/sim/api/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { afterEach } from "vitest";

const clients: ApiClient[] = [];
const fleets: SimulatedFleet[] = [];
afterEach(async () => {
  for (const f of fleets.splice(0)) f.stop();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** The operator's side against the simulator over loopback: a fleet of simulated gateways, a client, an asker. */
export async function fleetWorld(
  o: { sim?: ApiSimulatorOptions; fleet?: Omit<FleetOptions, "api" | "fleetKey">; concurrency?: number } = {},
) {
  const api: ApiSimulator = await startApiSimulator({ fleet: 5, asyncMs: 5, deliveryRetryMs: 100, ...o.sim });
  const fleetKey = commandKey(randomBytes(32).toString("hex"), "test fleet key");
  const fleet = new SimulatedFleet({ api, fleetKey, ...o.fleet });
  fleets.push(fleet);
  const limiter = new ConcurrencyLimiter(o.concurrency ?? 10);
  const client = createApiClient({
    provider: "twilio",
    product: o.sim?.product ?? "programmable-wireless",
    baseUrl: api.baseUrl,
    credentials: { username: api.credentials.apiKeySid, password: api.credentials.apiKeySecret },
    backoffMs: 5,
    rateLimitRetries: 20,
    limiter,
  });
  clients.push(client);
  const fleetApi = new FleetApi(client);
  const ask = (names: string[] | Target[], command: string, extra: Partial<AskOptions> = {}) =>
    Promise.all(names.map((n) => (typeof n === "string" ? fleetApi.findSim(n) : Promise.resolve(n)))).then((targets) =>
      new FleetAsk({
        api: fleetApi,
        targets,
        command,
        keys: { kind: "fleet", fleetKey },
        timeoutMs: 10_000,
        workers: 2 * (o.concurrency ?? 10),
        septets: gsm7Length,
        pollMs: 50,
        maxPollMs: 200,
        ...extra,
      }).run(),
    );
  return { api, fleet, fleetKey, client, fleetApi, limiter, ask };
}

/** To_sim Commands the simulator holds for a SIM (what "created once" is counted on). */
export const created = (api: ApiSimulator, sid: string) =>
  api.store.commandsOf(sid).filter((c) => c.direction === "to_sim").length;
