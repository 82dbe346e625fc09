export { deriveGatewayKey, hkdfSha256, iccidForKey, gatewayKey, readKeyMap, type KeySource, type KeyTarget } from "./keys.js";
export { twilioSignature, validTwilioSignature } from "./twilio-signature.js";
