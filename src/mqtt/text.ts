/** Small text helpers of the MQTT link. */

/** The `transaction` of a commands/send request, when its JSON has one (to answer even a malformed one). */
export function transactionOf(text: string): string | null {
  try {
    const t = (JSON.parse(text) as { transaction?: unknown }).transaction;
    return typeof t === "string" ? t : null;
  } catch {
    return null;
  }
}

/** The broker URL without a password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}
