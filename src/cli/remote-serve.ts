import type { Command } from "commander";
import { basicAuth, readCredential } from "../api/index.js";
import { CellgateError } from "../core/index.js";
import { CallbackServer } from "../remote/index.js";
import { parseIntOption } from "./common.js";
import { action } from "./output.js";

interface ServeOptions {
  listen: string;
  publicUrl?: string;
}

/**
 * `cellgate remote serve --listen ADDR [--public-url URL]`: the endpoint Twilio calls back (the
 * gateways' replies, delivery, SIM changes). Every callback must carry a valid
 * X-Twilio-Signature, checked with TWILIO_AUTH_TOKEN; what is accepted is one JSON line on
 * stdout, and on the feed that `cellgate remote … --via URL` reads.
 */
export function registerRemoteServe(remote: Command): void {
  remote
    .command("serve")
    .description("the endpoint for Twilio's callbacks: replies, delivery, SIM changes (signatures checked)")
    .requiredOption("--listen <addr>", "HOST:PORT (or PORT) to listen on")
    .option("--public-url <url>", "the URL Twilio calls, up to the paths it calls here (default: where it listens)")
    .action(action(serve));
}

async function serve(o: ServeOptions): Promise<number> {
  const m = /^(?:(.*):)?(\d+)$/.exec(o.listen);
  if (m === null) throw new CellgateError("CG_ERR_CLI_USAGE", `--listen ${JSON.stringify(o.listen)}: expected HOST:PORT or PORT`);
  const host = (m[1] ?? "").replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = parseIntOption("--listen's port", m[2]!, 0, 65_535);
  if (o.publicUrl !== undefined && !/^https?:\/\/\S+$/.test(o.publicUrl))
    throw new CellgateError("CG_ERR_CLI_USAGE", `--public-url must be http(s)://…, got ${JSON.stringify(o.publicUrl)}`);
  const env = process.env;
  const token = readCredential("TWILIO_AUTH_TOKEN", env);
  const account = readCredential("TWILIO_ACCOUNT_SID", env);
  if (token === undefined || account === undefined)
    throw new CellgateError(
      "CG_ERR_API_CONFIG",
      "remote serve checks X-Twilio-Signature with the account's Auth Token: set TWILIO_ACCOUNT_SID and " +
        "TWILIO_AUTH_TOKEN (environment or systemd credentials)",
    );
  // Runs read the feed with the credentials they use for the API: the account's, or an API key.
  const feedAuth = [await basicAuth(account, token).header()];
  const key = readCredential("TWILIO_API_KEY", env);
  const secret = readCredential("TWILIO_API_SECRET", env);
  if (key && secret) feedAuth.push(await basicAuth(key, secret).header());
  const server = await CallbackServer.start({
    host,
    port,
    authToken: token,
    feedAuthorizations: feedAuth,
    ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
    onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
    onRefused: (why, path, from) =>
      process.stderr.write(`cellgate: remote serve refused a callback to ${path} from ${from}: ${why}\n`),
  }).catch((err: unknown) => {
    throw new CellgateError("CG_ERR_CLI_USAGE", `cannot listen on ${o.listen}: ${(err as Error).message}`);
  });
  process.stderr.write(
    [
      `cellgate remote serve on ${server.localUrl}; Twilio calls ${server.publicUrl}`,
      `  a SIM's replies: set its commands_callback_url to ${server.publicUrl}/callbacks/mo (cellgate remote sim --sim X ` +
        `--commands-callback-url …)`,
      `  runs take replies from here: cellgate remote VERB --sim X --via ${server.localUrl}`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
