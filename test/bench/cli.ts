/**
 * 0. CLI start, as users start it: `node dist/cli/main.js …` (the bundled build), whole process,
 *    wall time from spawn to exit and peak RSS, beside `node -e 0` in the same rounds. `status`
 *    and `at` go through a running daemon's control socket, found the way a user's call finds it
 *    (the configuration file names it). The same calls on a file-by-file tsc build of the same
 *    source say what the bundle buys.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { controlRequest, socketAnswers } from "../../src/runtime/index.js";
import { benchWorld, config, daemon, ensureBuilt, type Row } from "./daemon.js";

const ROOT = join(import.meta.dirname, "../..");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

interface Run {
  ms: number;
  /** Peak RSS in MB (0 when /usr/bin/time is not installed). */
  mb: number;
  code: number | null;
}

/** One process to its end; /usr/bin/time (when there) reports its peak RSS. */
async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const out = join(tmpdir(), `cellgate-bench-time-${process.pid}`);
  const [cmd, argv] = TIME ? [TIME, ["-f", "%M", "-o", out, process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  const p = spawn(cmd, argv, { stdio: "ignore", env: { ...process.env, ...env } });
  const code = await new Promise<number | null>((r) => p.once("exit", r));
  const ms = performance.now() - t0;
  const mb = TIME ? Number(readFileSync(out, "utf8").trim().split("\n").at(-1)) / 1024 : 0;
  return { ms, mb, code };
}

/** The same source compiled file by file (what `npm run build` was before the bundle), for comparison. */
function tscBuild(): string {
  const out = join(ROOT, ".bench-tsc"); // two levels under the root, as dist/cli is: version.ts finds package.json
  mkdirSync(out, { recursive: true });
  const compilerOptions = { noEmit: false, rootDir: "../src", outDir: "." };
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({ extends: "../tsconfig.json", compilerOptions, include: ["../src"] }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(out, "tsconfig.json")], {
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("tsc build failed");
  return join(out, "cli/main.js");
}

export async function cliStart(rounds = Number(process.env.BENCH_CLI_ROUNDS ?? 11)): Promise<Row[]> {
  const main = ensureBuilt();
  const tscMain = tscBuild();
  const w = await benchWorld("cli");
  const file = config(w.dir, w.link, w.broker);
  const d = daemon(main, file);
  const env = { CELLGATE_CONFIG: file, CELLGATE_COMMAND_KEY: "bench key: 0123456789abcdef0123" };
  try {
    const socket = join(w.dir, "control.sock");
    for (let i = 0; !(await socketAnswers(socket)); i++) {
      if (i > 600) throw new Error("the daemon's control socket did not come up");
      await new Promise((r) => setTimeout(r, 100));
    }
    // `at` through the daemon answers once the daemon has the modem.
    while ((await timed([main, "at", "AT"], env)).code !== 0) await new Promise((r) => setTimeout(r, 200));
    const calls: Record<string, string[]> = {
      "node -e 0": ["-e", "0"],
      "--version": [main, "--version"],
      "pdu decode": [main, "pdu", "decode", PDU],
      sign: [main, "sign", "status"],
      status: [main, "status"],
      "status --fresh": [main, "status", "--fresh"],
      at: [main, "at", "AT+CSQ"],
      "at --socket": [main, "at", "--socket", "SOCKET", "AT+CSQ"],
      "tsc --version": [tscMain, "--version"],
      "tsc status": [tscMain, "status"],
    };
    calls["at --socket"]![3] = socket;
    const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
    const answers: Record<"status" | "fresh" | "at", number[]> = { status: [], fresh: [], at: [] };
    for (let r = 0; r < rounds; r++) {
      // The daemon's own share of `status` and `at`: the same requests from this process, no CLI start.
      let t0 = performance.now();
      await controlRequest(socket, "status", {});
      answers.status.push(performance.now() - t0);
      t0 = performance.now();
      await controlRequest(socket, "status", { fresh: true });
      answers.fresh.push(performance.now() - t0);
      t0 = performance.now();
      await controlRequest(socket, "at", { command: "AT+CSQ" });
      answers.at.push(performance.now() - t0);
      for (const [k, args] of Object.entries(calls)) {
        const run = await timed(args, env);
        if (run.code !== 0 && !(k.endsWith("status") && run.code !== null && run.code <= 3))
          throw new Error(`${k} exited ${run.code}`);
        runs[k]!.push(run);
      }
    }
    const ms = (k: string) => median(runs[k]!.map((x) => x.ms));
    const mb = (k: string) => median(runs[k]!.map((x) => x.mb));
    const base = `\`node -e 0\`, same rounds (median of ${rounds})`;
    const rows: Row[] = [
      ["CLI start: `cellgate --version`, whole process (ms)", base, ms("--version"), ms("node -e 0"), { ratioAtMost: 1.5 }],
      ["CLI start: `cellgate pdu decode HEX` (ms)", base, ms("pdu decode"), ms("node -e 0"), { ratioAtMost: 1.5 }],
      ["CLI start: `cellgate sign status` (ms)", base, ms("sign"), ms("node -e 0"), { ratioAtMost: 1.5 }],
      ["CLI start: `cellgate status` through the daemon's socket (ms)", base, ms("status"), ms("node -e 0"), { ratioAtMost: 2 }],
      ["… `status --fresh`: the daemon polls the modem for this answer (ms)", base, ms("status --fresh"), ms("node -e 0")],
      ["CLI start: `cellgate at AT+CSQ` through the daemon's socket (ms)", base, ms("at"), ms("node -e 0"), { ratioAtMost: 2 }],
      [
        "… `at AT+CSQ --socket PATH`: no configuration file read to find the socket (ms)",
        base,
        ms("at --socket"),
        ms("node -e 0"),
      ],
      [
        "… of which the daemon's answer to `status` (the kept picture), asked without a CLI (ms)",
        base,
        median(answers.status),
        ms("node -e 0"),
      ],
      [
        "… of which its answer to `status --fresh` (a poll), asked without a CLI (ms)",
        base,
        median(answers.fresh),
        ms("node -e 0"),
      ],
      ["… of which the daemon's answer to `at AT+CSQ`, asked without a CLI (ms)", base, median(answers.at), ms("node -e 0")],
      ["… the same `--version`, file-by-file tsc build (ms)", base, ms("tsc --version"), ms("node -e 0")],
      ["… the same `status`, file-by-file tsc build (ms)", base, ms("tsc status"), ms("node -e 0")],
    ];
    if (TIME)
      rows.push(
        ["CLI peak RSS: `cellgate --version` (MB)", "`node -e 0`", mb("--version"), mb("node -e 0")],
        ["CLI peak RSS: `cellgate status` through the daemon (MB)", "`node -e 0`", mb("status"), mb("node -e 0")],
        ["… the same `status`, file-by-file tsc build (MB)", "`node -e 0`", mb("tsc status"), mb("node -e 0")],
      );
    return rows;
  } finally {
    await w.close(d);
    rmSync(join(ROOT, ".bench-tsc"), { recursive: true, force: true });
    rmSync(join(tmpdir(), `cellgate-bench-time-${process.pid}`), { force: true });
  }
}
