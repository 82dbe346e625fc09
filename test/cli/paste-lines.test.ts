import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, exited } from "../helpers/daemon-proc.js";
import { waitFor } from "../helpers/pty-modem.js";

// What a new user does in the first hour: `npm run demo` (the build, then dist/cli/main.js demo),
// then paste what it prints into another, fresh shell — with nothing but what `npm ci` installed:
// no `cellgate` on PATH, none of the developer's CELLGATE_/TWILIO_ variables, another directory.
// Every printed line must run as printed; the demo must end on its summary and exit 0.
const root = join(import.meta.dirname, "../..");
const MAIN = join(root, "dist/cli/main.js");
const run = promisify(execFile);
const README = readFileSync(join(root, "README.md"), "utf8");
const SUGGESTED = Number(/npm run demo -- --duration (\d+)/.exec(README)?.[1]);

let home: string;
const procs: ChildProcess[] = [];

/** A fresh login-less shell: PATH (node, curl, bash) and a HOME of its own, in that HOME. */
function freshShell(): { env: NodeJS.ProcessEnv; cwd: string } {
  return { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, LANG: "C.UTF-8" }, cwd: home };
}

async function shell(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run("bash", ["-c", line], { ...freshShell(), timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A printed line that runs until stopped (a subscriber): started in its own process group. */
function background(line: string): { proc: ChildProcess; out: () => string } {
  const proc = spawn("bash", ["-c", line], { ...freshShell(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let out = "";
  proc.stdout.on("data", (b: Buffer) => (out += b.toString()));
  proc.stderr.on("data", (b: Buffer) => (out += b.toString()));
  return { proc, out: () => out };
}

/** The lines of the block "from another shell (each line runs as it is):" in a program's output. */
function pasteLines(output: string): string[] {
  const after = output.split("from another shell (each line runs as it is):\n")[1] ?? "";
  const lines: string[] = [];
  for (const l of after.split("\n")) {
    if (!l.startsWith("  ")) break;
    lines.push(l);
  }
  return lines;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "cellgate-fresh-shell-"));
  // `npm run demo` builds first: the same build, once for the whole file.
  await run(process.execPath, ["--import", "tsx", join(root, "scripts/build.ts")], { cwd: root });
}, 300_000);

afterAll(async () => {
  for (const p of procs)
    if (p.exitCode === null && p.signalCode === null) {
      try {
        process.kill(-p.pid!, "SIGTERM"); // each was started in its own process group (detached)
      } catch {
        // gone already
      }
      await exited(p);
    }
  rmSync(home, { recursive: true, force: true });
});

describe("`npm run demo`, then what it printed, pasted into a fresh shell", () => {
  it(
    "every printed line runs; the curl creates a signed Command cellgate runs; the story fits --duration, ends on a " +
      "summary, exits 0, leaves nothing in /tmp",
    async () => {
      expect(SUGGESTED).toBeGreaterThan(0);
      const started = Date.now();
      const demo = spawn(process.execPath, [MAIN, "demo", "--duration", String(SUGGESTED)], {
        cwd: root,
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      procs.push(demo);
      let out = "";
      let err = "";
      demo.stdout.on("data", (b: Buffer) => (out += b.toString()));
      demo.stderr.on("data", (b: Buffer) => (err += b.toString()));
      await waitFor(() => pasteLines(out).length > 0 || demo.exitCode !== null, 60_000, "the lines to paste");
      const lines = pasteLines(out);
      const dir = /on (\/\S+)\/modem\.pty \(pty via/.exec(out)?.[1];
      expect(dir, out).toMatch(/cellgate-demo-/);
      expect(lines.map((l) => l.trim().split(" ")[0])).toEqual(["node", "node", "node", "curl", "curl"]);

      const [watch, status, at, create, replies] = lines as [string, string, string, string, string];
      const sub = background(watch);
      await waitFor(
        () => sub.out().includes("cellgate/demo/status"),
        30_000,
        "the subscriber to print cellgate's retained status",
      );

      const s = await shell(status);
      expect([0, 1, 2, 3], s.stderr).toContain(s.code); // a verdict: the story may be degrading the link just now
      expect(s.stdout).toContain("(via the daemon, gateway demo)");
      const a = await shell(at);
      expect(a, a.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\+CSQ: \d+,\d+\nOK\n$/) as string });

      const c = await shell(create);
      expect(c.code, c.stderr).toBe(0);
      const created = JSON.parse(c.stdout) as { sid: string; command: string; status: string };
      expect(created.command).toMatch(/^health #[0-9a-z]{6}\.[\w-]{22}$/); // the $(… sign health) expanded
      await waitFor(
        () => out.includes(`command from 2936: ${JSON.stringify(created.command)} auth=verified`),
        30_000,
        "cellgate to verify and run the pasted Command",
      );
      await waitFor(() => out.includes(`the gateway's reply to 2936: "health `), 30_000, "its reply at the network");
      const r = await shell(replies);
      expect(r.code, r.stderr).toBe(0);
      const listed = (JSON.parse(r.stdout) as { commands: Array<{ direction: string }> }).commands;
      expect(
        listed.map((x) => x.direction),
        `${replies}\n${r.stdout}`,
      ).toContain("from_sim");

      // The story runs to its end within the suggested duration; then Ctrl-C (rather than waiting out the
      // rest of it: the same stop), the summary, the exit.
      await waitFor(
        () => out.includes("the story is over") || demo.exitCode !== null,
        SUGGESTED * 1000 - (Date.now() - started),
        `the story to end within --duration ${SUGGESTED}`,
      );
      expect(demo.exitCode, out).toBeNull();
      demo.kill("SIGINT");
      const code = await exited(demo);
      expect(code, `${out}\n${err}`).toBe(0);
      const tail = out.trimEnd().split("\n");
      expect(tail.at(-1)).toMatch(/^\d\d:\d\d:\d\d {2}demo stopped$/);
      const summary = tail.slice(tail.findIndex((l) => l.includes("what the demo showed")));
      expect(summary[0]).toMatch(/what the demo showed \(9 of 9 steps\):$/);
      expect(
        summary.slice(1, 10).every((l) => /^\d\d:\d\d:\d\d {4}ok {2}/.test(l)),
        summary.join("\n"),
      ).toBe(true);
      expect(err).toBe(""); // no log lines in the middle of the story
      expect(existsSync(dir!)).toBe(false);
    },
    300_000,
  );

  it("`simulate api`: its export lines and the command after them run in a fresh shell", async () => {
    const sim = spawn(process.execPath, [MAIN, "simulate", "api", "--port", "0"], { cwd: root, env: cleanEnv(), detached: true });
    procs.push(sim);
    let banner = "";
    sim.stdout.on("data", (b: Buffer) => (banner += b.toString()));
    await waitFor(() => banner.includes("# Ctrl-C stops the simulator") || sim.exitCode !== null, 30_000, "the banner");
    const pasted = banner.split("\n").filter((l) => l.startsWith("export ") || l.startsWith("node "));
    expect(pasted.at(-1)).toMatch(/^node \S+\/dist\/cli\/main\.js sim {3}#/);
    const r = await shell(pasted.join("\n"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rate plan +gateway-plan/);
    // The other credential sets, as the comment says: without the leading "# or: ".
    for (const alt of banner.split("\n").filter((l) => l.startsWith("# or: "))) {
      const viaAlt = pasted.filter((l) => !/TWILIO_(ACCOUNT_SID|AUTH_TOKEN)=/.test(l));
      const a = await shell([alt.slice("# or: ".length), ...viaAlt].join("\n"));
      expect(a.code, `${alt}\n${a.stderr}`).toBe(0);
    }
  });

  it("`simulate modem`: its lines run in a fresh shell", async () => {
    const link = join(home, "modem.pty");
    const sim = spawn(process.execPath, [MAIN, "simulate", "modem", "--link", link], {
      cwd: root,
      env: cleanEnv(),
      detached: true,
    });
    procs.push(sim);
    let banner = "";
    sim.stdout.on("data", (b: Buffer) => (banner += b.toString()));
    await waitFor(() => pasteLines(banner).length === 2 || sim.exitCode !== null, 30_000, "the banner");
    const [at, status] = pasteLines(banner) as [string, string];
    expect(await shell(at)).toMatchObject({ code: 0, stdout: "+CSQ: 21,99\nOK\n" });
    const s = await shell(status);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/verdict: OK/);
  });
});
