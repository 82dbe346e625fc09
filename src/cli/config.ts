import type { Command } from "commander";
import { checkConfig } from "../config/index.js";

/** `cellgate config check [--config FILE] [--print]`: every problem with its path; exit 1 if any. */
export function registerConfig(program: Command): void {
  const config = program.command("config").description("the configuration file");
  config
    .command("check")
    .description("validate the configuration (file + CELLGATE_* environment); print every problem with its path")
    .option("-c, --config <file>", "the configuration file (default: $CELLGATE_CONFIG, else /etc/cellgate/cellgate.yaml)")
    .option("--print", "print the effective configuration as JSON (it holds no secrets)")
    .action((o: { config?: string; print?: boolean }) => {
      const r = checkConfig(o.config !== undefined ? { file: o.config } : {});
      const source = r.file ?? "defaults + environment (no configuration file)";
      if ("problems" in r) {
        process.stderr.write(
          `${source}: ${r.problems.length} problem(s)\n${r.problems.map((p) => `  ${p.path}: ${p.message}\n`).join("")}`,
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${source}: OK (gateway ${r.gatewayId}, MQTT topics under ${r.topicPrefix}/)\n`);
      if (o.print) process.stdout.write(`${JSON.stringify(r.config, null, 2)}\n`);
    });
}
