import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every top-level command, in the order `cellgate --help` lists them, with the module that
 * registers it. Each module is imported only when its command runs: a CLI call on a Pi-class
 * board must not pay for the MQTT client, the API client or the simulators it does not use.
 */
export const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<Register> }> = [
  { name: "run", load: async () => (await import("./run.js")).registerRun },
  { name: "at", load: async () => (await import("./at.js")).registerAt },
  { name: "status", load: async () => (await import("./status.js")).registerStatus },
  { name: "sim", load: async () => (await import("./sim.js")).registerSim },
  { name: "send", load: async () => (await import("./send.js")).registerSend },
  { name: "sms", load: async () => (await import("./sms.js")).registerSms },
  { name: "sign", load: async () => (await import("./sign.js")).registerSign },
  { name: "key", load: async () => (await import("./key.js")).registerKey },
  { name: "remote", load: async () => (await import("./remote.js")).registerRemote },
  { name: "pdu", load: async () => (await import("./pdu.js")).registerPdu },
  { name: "config", load: async () => (await import("./config.js")).registerConfig },
  { name: "simulate", load: async () => (await import("./simulate.js")).registerSimulate },
  { name: "demo", load: async () => (await import("./demo.js")).registerDemo },
];

/**
 * Registers what this command line needs: the named command alone; nothing for --version; every
 * command otherwise (help, no command, an unknown one), so commander's help and its "did you
 * mean" suggestions are those of the whole CLI.
 */
export async function registerFor(program: Command, args: readonly string[]): Promise<void> {
  const first = args[0];
  if (first === "-V" || first === "--version") return;
  const named = COMMANDS.find((c) => c.name === first);
  for (const c of named ? [named] : COMMANDS) (await c.load())(program);
}
