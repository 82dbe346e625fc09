/**
 * The built-in verbs. None of them can turn Commands, the modem or the data link off: what
 * an SMS can do must never lock the operator out of the gateway (Cradlepoint's rule).
 */
export const VERBS = [
  "status",
  "health",
  "signal",
  "net",
  "sim",
  "mqtt",
  "version",
  "help",
  "ping",
  "modem-reset",
  "reboot",
] as const;
export type Verb = (typeof VERBS)[number];

/** Verbs that act on the gateway: always signed, never re-run after a restart interrupted them. */
export const ACTING_VERBS: readonly Verb[] = ["modem-reset", "reboot"];

export function isVerb(s: string): s is Verb {
  return (VERBS as readonly string[]).includes(s);
}

export interface ParsedCommand {
  verb: string;
  args: string[];
}

/** `VERB [ARGS]`: the verb case-insensitive, arguments split on whitespace; a trailing comma or period a phone added is dropped. */
export function parseCommand(text: string): ParsedCommand {
  const [verb = "", ...args] = text.trim().split(/\s+/);
  return { verb: verb.toLowerCase().replace(/[,.;]+$/, ""), args: args.filter((a) => a !== "") };
}

export type ArgCheck = { ok: true } | { ok: false; why: string };

const HOST = /^(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/;

/** Argument rules per verb (checked before anything runs). */
export function checkArgs(verb: Verb, args: readonly string[], o: { rebootToken: string }): ArgCheck {
  switch (verb) {
    case "ping": {
      if (args.length < 1 || args.length > 2) return { ok: false, why: "usage: ping HOST [PORT]" };
      if (!HOST.test(args[0]!)) return { ok: false, why: "bad host" };
      if (args[1] !== undefined && !(/^\d{1,5}$/.test(args[1]) && +args[1] >= 1 && +args[1] <= 65_535))
        return { ok: false, why: "bad port" };
      return { ok: true };
    }
    case "reboot":
      if (args.length !== 1 || args[0] !== o.rebootToken) return { ok: false, why: "needs the confirmation token" };
      return { ok: true };
    default:
      return args.length === 0 ? { ok: true } : { ok: false, why: `${verb} takes no arguments` };
  }
}
