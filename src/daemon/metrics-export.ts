import { rename, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { basename, dirname, join } from "node:path";
import { CellgateError, describeError, Timers, type Clock, type Logger } from "../core/index.js";
import type { Metrics } from "./metrics.js";

export interface MetricsExportOptions {
  /** `host:port` of the /metrics endpoint (loopback by default); none when absent. */
  listen?: string;
  /** node_exporter's textfile collector file (`*.prom`), rewritten every `textfileMs`; none when absent. */
  textfile?: string;
  textfileMs: number;
  clock: Clock;
  log: Logger;
}

export interface MetricsExport {
  /** The endpoint's port (the one asked for, or the one the system gave for port 0). */
  port: number | undefined;
  /** Writes the textfile now (also done every textfileMs). */
  writeTextfile(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The two ways Prometheus gets cellgate's metrics: scraping `/metrics` on the gateway, or —
 * behind carrier NAT, where nothing reaches the gateway — node_exporter's textfile collector
 * (and its remote_write) reading a file cellgate rewrites atomically: written beside it under
 * a name the collector ignores, then renamed over it, so a scrape never reads half a file.
 */
export async function exportMetrics(m: Metrics, o: MetricsExportOptions): Promise<MetricsExport> {
  const server = o.listen ? await serve(m, o.listen, o.log) : undefined;
  const timers = new Timers(o.clock, (err) => o.log.warn({ err: describeError(err) }, "metrics textfile not written"));
  const textfile = o.textfile;
  const writeTextfile = async () => {
    if (textfile === undefined) return;
    // The collector reads only *.prom: the temporary name ends otherwise.
    const tmp = join(dirname(textfile), `.${basename(textfile)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, await m.render());
      await rename(tmp, textfile);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  };
  if (textfile !== undefined) {
    void writeTextfile().catch((err: unknown) =>
      o.log.warn({ err: describeError(err), textfile }, "metrics textfile not written"),
    );
    timers.every(() => o.textfileMs, writeTextfile);
  }
  const address = server?.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : undefined,
    writeTextfile,
    close: async () => {
      timers.stop();
      if (server) await new Promise((r) => server.close(r));
    },
  };
}

async function serve(m: Metrics, listen: string, log: Logger): Promise<Server> {
  const at = listen.lastIndexOf(":");
  const host = listen.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  const port = Number(listen.slice(at + 1));
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("cellgate serves /metrics only\n");
      return;
    }
    m.render().then(
      (text) => res.writeHead(200, { "content-type": m.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${describeError(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(
        new CellgateError("CG_ERR_CONFIG_INVALID", `metrics.listen ${listen}: ${describeError(err)}`, { listen }, { cause: err }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  log.info({ listen }, "metrics endpoint listening");
  return server;
}
