import type { Command } from "commander";
import { checkConfig, describeUnknown, unknownVariables, type Problem } from "../config/index.js";
import { CellgateError, isCellgateError } from "../core/index.js";
import { action, EXIT, printResult, reportError } from "./output.js";

interface ConfigOptions {
  config?: string;
  print?: boolean;
  json?: boolean;
}

/** `cellgate config check [--config FILE] [--print] [--json]`: every problem with its path; exit 1 if any. */
export function registerConfig(program: Command): void {
  const config = program.command("config").description("the configuration file");
  config
    .command("check")
    .description("validate the configuration (file + CELLGATE_* environment); print every problem with its path")
    .option("-c, --config <file>", "the configuration file (default: $CELLGATE_CONFIG, else /etc/cellgate/cellgate.yaml)")
    .option("--print", "print the effective configuration as JSON (it holds no secrets)")
    .option("--json", "print {file, gateway, topicPrefix, config} as JSON, or the error with its problems")
    .action(action((o: ConfigOptions) => check(o)));
}

function check(o: ConfigOptions): number {
  let r: ReturnType<typeof checkConfig>;
  try {
    r = checkConfig(o.config !== undefined ? { file: o.config } : {});
  } catch (err) {
    // A file that cannot be read is this command's "no" (exit 1), as any other problem of the configuration.
    if (!isCellgateError(err, "CG_ERR_CONFIG_READ")) throw err;
    reportError(err, o.json === true);
    return EXIT.no;
  }
  const source = r.file ?? "defaults + environment (no configuration file)";
  // A misspelt variable is a problem here, as a misspelt key is (the daemon only warns: it must come up).
  const unknown: Problem[] = unknownVariables(process.env).map((u) => ({ path: u.name, message: describeUnknown(u) }));
  const problems = [...("problems" in r ? r.problems : []), ...unknown];
  if ("problems" in r || problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join("\n");
    reportError(
      new CellgateError("CG_ERR_CONFIG_INVALID", `${source}: ${problems.length} problem(s)\n${lines}`, { problems }),
      o.json === true,
    );
    return EXIT.no;
  }
  const summary = `${source}: OK (gateway ${r.gatewayId}, MQTT topics under ${r.topicPrefix}/)\n`;
  if (o.json) printResult(true, { file: r.file, gateway: r.gatewayId, topicPrefix: r.topicPrefix, config: r.config }, () => "");
  else if (o.print) {
    // stdout is the configuration alone (a script pipes it to jq); the verdict is for the person, on stderr.
    process.stderr.write(summary);
    printResult(true, r.config, () => "");
  } else process.stdout.write(summary);
  return EXIT.ok;
}
