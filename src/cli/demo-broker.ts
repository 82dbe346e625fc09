import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";

/**
 * The demo's MQTT broker when no --mqtt URL is given: aedes, embedded (MQTT 3.1.1), on a
 * loopback port — 1883 when it is free, else any. Enough for a demo; a gateway runs mosquitto.
 */
export async function startEmbeddedBroker(preferredPort = 1883): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer((s) => broker.handle(s));
  const listen = (port: number) =>
    new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
  if (!(await listen(preferredPort))) await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    close: async () => {
      const closed = new Promise((r) => server.close(r));
      for (const c of Object.values((broker as unknown as { clients: Record<string, { close(): void }> }).clients)) c.close();
      await closed;
      await new Promise((r) => broker.close(() => r(undefined)));
    },
  };
}
