import type { Config } from "../config/index.js";
import { readSecret } from "../core/index.js";
import type { MqttLinkOptions } from "../mqtt/index.js";

/** Username, password (a secret) and TLS files for the broker, from the config and the credentials. */
export function mqttAuth(m: Config["mqtt"], env: NodeJS.ProcessEnv): Pick<MqttLinkOptions, "username" | "password" | "tls"> {
  const password = readSecret("MQTT_PASSWORD", { env, ...(m.passwordFile ? { file: m.passwordFile } : {}) });
  const file = (p: string) => Buffer.from(readSecret("TLS file", { file: p, env }) ?? "");
  const tls = m.tls && {
    ...(m.tls.caFile ? { ca: file(m.tls.caFile) } : {}),
    ...(m.tls.certFile ? { cert: file(m.tls.certFile) } : {}),
    ...(m.tls.keyFile ? { key: file(m.tls.keyFile) } : {}),
    rejectUnauthorized: m.tls.rejectUnauthorized,
  };
  return { ...(m.username ? { username: m.username } : {}), ...(password ? { password } : {}), ...(tls ? { tls } : {}) };
}
