/**
 * The naive agent of the +CMTI → MQTT row, in its own process as the daemon is (so a CPU quota
 * applies to it alike): what a first script would do, with nothing durable. On +CMTI: AT+CMGR,
 * publish the PDU at QoS 1, AT+CMGD. Prints "ready" once set up; runs until SIGTERM.
 * Usage: node --import tsx test/bench/naive-agent.ts LINK MQTT_URL TOPIC
 */
import { ReadlineParser } from "@serialport/parser-readline";
import { connect } from "mqtt";
import { SerialPort } from "serialport";

export async function naiveAgent(link: string, url: string, topic: string): Promise<() => Promise<void>> {
  const port = new SerialPort({ path: link, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  const mqtt = connect(url);
  await new Promise<void>((r) => mqtt.once("connect", () => r()));
  const lines = port.pipe(new ReadlineParser({ delimiter: "\r\n" }));
  let collect: ((l: string) => void) | undefined;
  const cmd = (c: string) =>
    new Promise<string[]>((resolve) => {
      const got: string[] = [];
      collect = (l) => (l === "OK" || l.includes("ERROR") ? ((collect = undefined), resolve(got)) : void got.push(l));
      port.write(`${c}\r`);
    });
  let busy = Promise.resolve();
  lines.on("data", (l: string) => {
    const m = /^\+CMTI: "(\w+)",(\d+)/.exec(l);
    if (m) {
      busy = busy.then(async () => {
        const r = await cmd(`AT+CMGR=${m[2]}`);
        await mqtt.publishAsync(topic, r.at(-1) ?? "", { qos: 1 });
        await cmd(`AT+CMGD=${m[2]}`);
      });
    } else if (l !== "") collect?.(l);
  });
  for (const c of ["ATE0", "AT+CMGF=0", 'AT+CPMS="ME","ME","ME"', "AT+CNMI=2,1,0,0,0"]) await cmd(c);
  return async () => {
    await busy;
    await mqtt.endAsync();
    await new Promise((r) => port.close(r));
  };
}

const [link, url, topic] = process.argv.slice(2);
if (link !== undefined && url !== undefined && topic !== undefined) {
  const stop = await naiveAgent(link, url, topic);
  process.stdout.write("ready\n");
  process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
}
