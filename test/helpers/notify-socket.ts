import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** systemd's notification socket, played by python3 (Node has no unix datagram sockets). */
export async function notifySocket(
  onMessage?: (msg: string) => void,
): Promise<{ path: string; messages: string[]; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "cellgate-notify-"));
  const path = join(dir, "notify.sock");
  const p = spawn("python3", [join(import.meta.dirname, "notify-socket.py"), path], { stdio: ["ignore", "pipe", "inherit"] });
  const messages: string[] = [];
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  createInterface({ input: p.stdout }).on("line", (line) => {
    const j = JSON.parse(line) as { ready?: string; msg?: string };
    if (j.ready) ready();
    else if (j.msg !== undefined && j.msg !== "BARRIER=1") {
      messages.push(j.msg);
      onMessage?.(j.msg);
    }
  });
  await isReady;
  return {
    path,
    messages,
    close() {
      p.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
