import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerAt } from "../../src/cli/at.js";
import { registerConfig } from "../../src/cli/config.js";
import { registerDemo } from "../../src/cli/demo.js";
import { registerKey } from "../../src/cli/key.js";
import { registerPdu } from "../../src/cli/pdu.js";
import { registerRemote } from "../../src/cli/remote.js";
import { registerRun } from "../../src/cli/run.js";
import { registerSend } from "../../src/cli/send.js";
import { registerSign } from "../../src/cli/sign.js";
import { registerSms } from "../../src/cli/sms.js";
import { registerSim } from "../../src/cli/sim.js";
import { registerSimulate } from "../../src/cli/simulate.js";
import { registerStatus } from "../../src/cli/status.js";

// docs/cli.md has a section for every command the CLI defines (`## cellgate <command>`), and each
// section names every option of its command: an option added to the code without a line in the
// docs fails here.
const doc = readFileSync(join(import.meta.dirname, "../../docs/cli.md"), "utf8");

function program(): Command {
  const p = new Command("cellgate");
  for (const register of [
    registerRun,
    registerAt,
    registerStatus,
    registerSim,
    registerSend,
    registerSign,
    registerSms,
    registerKey,
    registerRemote,
    registerPdu,
    registerConfig,
    registerSimulate,
    registerDemo,
  ])
    register(p);
  return p;
}

/** The runnable commands (leaves) with their full names and long options. */
function leaves(c: Command, prefix: string[] = []): Array<{ name: string; options: string[] }> {
  const name = [...prefix, c.name()];
  const self = { name: name.join(" "), options: c.options.map((o) => o.long ?? o.flags) };
  // A command with arguments runs itself, even with subcommands (`remote VERB` beside `remote serve`).
  if (c.commands.length > 0)
    return [
      ...(c.registeredArguments.length > 0 ? [self] : []),
      ...c.commands.flatMap((sub) => leaves(sub, prefix.length === 0 && c.name() === "cellgate" ? [] : name)),
    ];
  return [self];
}

function section(name: string): string {
  const heading = `## cellgate ${name}\n`;
  const from = doc.indexOf(heading);
  if (from < 0) return "";
  const next = doc.indexOf("\n## ", from + heading.length);
  return doc.slice(from, next < 0 ? undefined : next);
}

const commands = leaves(program()).filter((c) => c.name !== "cellgate");

describe("docs/cli.md", () => {
  it("knows the commands as the CLI defines them", () => {
    expect(commands.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "run",
        "at",
        "status",
        "sim",
        "send",
        "sign",
        "sms list",
        "sms read",
        "sms delete",
        "pdu decode",
        "config check",
        "simulate modem",
        "simulate api",
        "demo",
        "remote",
        "remote serve",
        "key derive",
      ]),
    );
  });

  it.each(commands.map((c) => [c.name, c] as const))("has a section for cellgate %s naming every option", (name, c) => {
    const text = section(name);
    expect(text, `no "## cellgate ${name}" section`).not.toBe("");
    for (const option of c.options)
      expect(text, `cellgate ${name} ${option}`).toMatch(new RegExp(`(?<![\\w-])${option}(?![\\w-])`));
  });
});
