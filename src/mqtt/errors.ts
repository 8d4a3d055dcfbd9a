import { errnoCode } from '../core/errors.js';

/** Connection refusals by CONNACK code (MQTT 3.1.1 return codes and MQTT 5 reason codes). */
const REFUSALS: Record<number, { problem: string; fix: string }> = {
  2: { problem: 'the broker rejected the client id', fix: 'set another mqtt.client_id' },
  3: { problem: 'the broker is unavailable', fix: "check the broker's own log" },
  4: { problem: 'the broker rejected the user name or password', fix: 'check mqtt.username and mqtt.password' },
  5: { problem: 'the broker says this client is not authorised', fix: "check mqtt.username/password and the broker's ACL" },
  133: { problem: 'the broker rejected the client id', fix: 'set another mqtt.client_id' },
  134: { problem: 'the broker rejected the user name or password', fix: 'check mqtt.username and mqtt.password' },
  135: { problem: 'the broker says this client is not authorised', fix: "check mqtt.username/password and the broker's ACL" },
  136: { problem: 'the broker is unavailable', fix: "check the broker's own log" },
};

/** One line that says what went wrong reaching the broker and what to do about it. */
export function describeMqttError(error: Error, url: string): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && REFUSALS[code]) {
    const { problem, fix } = REFUSALS[code];
    return `MQTT broker ${hostOf(url)} refused the connection: ${problem} (fix: ${fix}); retrying`;
  }
  switch (errnoCode(error)) {
    case 'ECONNREFUSED':
      return `MQTT broker ${hostOf(url)} is not accepting connections (fix: start the broker, or correct mqtt.url); retrying`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `MQTT broker host ${hostOf(url)} cannot be resolved (fix: correct the host name in mqtt.url); retrying`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `MQTT broker ${hostOf(url)} cannot be reached on the network (fix: check mqtt.url and the network); retrying`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `MQTT broker ${hostOf(url)} presented a certificate that is not trusted (fix: set mqtt.ca to the broker's CA file); retrying`;
    default:
      return `MQTT connection to ${hostOf(url)} failed: ${error.message}; retrying`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
