import type { Command } from "commander";
import { describeUnknown, loadConfig, unknownVariables } from "../config/index.js";
import { createLogger, describeError } from "../core/index.js";
import { startDaemon } from "../daemon.js";
import { VERSION } from "./version.js";

/**
 * `cellgate run [--config FILE]`: the daemon (systemd's ExecStart). SIGTERM/SIGINT stop it in
 * order (offline published, outbox flushed, port closed); SIGHUP reloads the configuration.
 */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the daemon (what systemd starts)")
    .option("-c, --config <file>", "the configuration file (default: $CELLGATE_CONFIG, else /etc/cellgate/cellgate.yaml)")
    .action(async (o: { config?: string }) => {
      const opts = o.config !== undefined ? { file: o.config } : {};
      const loaded = loadConfig(opts);
      const log = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
      log.info(
        {
          config: loaded.file ?? "(defaults + environment)",
          gateway: loaded.gatewayId,
          prefix: loaded.topicPrefix,
          version: VERSION,
        },
        "cellgate starting",
      );
      for (const u of unknownVariables(process.env))
        log.warn({ variable: u.name, suggestion: u.suggestion }, `environment: ${u.name} is ${describeUnknown(u)}`);
      const daemon = await startDaemon({ loaded, version: VERSION, log });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, "stopping");
        daemon.stop(signal === "SIGTERM" ? "stopped by the service manager (SIGTERM)" : `stopped (${signal})`).then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err: describeError(err) }, "stop failed");
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGHUP", () => {
        try {
          const changed = daemon.reload(loadConfig(opts));
          log.info({ changed }, "configuration reloaded");
        } catch (err) {
          log.error({ err: describeError(err) }, "configuration not reloaded: keeping the running one");
        }
      });
      await new Promise<never>(() => {}); // runs until a signal
    });
}
