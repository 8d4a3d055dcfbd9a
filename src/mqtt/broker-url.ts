/** Where teslahub's broker is when `mqtt.url` is not set and no embedded broker listens yet. */
export const DEFAULT_BROKER_URL = 'mqtt://127.0.0.1:1883';

export interface MqttTls {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  rejectUnauthorized: boolean;
}

/** The certificates for an encrypted broker URL (mqtts, wss, tls); undefined for plain MQTT or none. */
export function tlsForUrl(url: string | undefined, tls: MqttTls): MqttTls | undefined {
  if (url === undefined) return undefined;
  return ['mqtts:', 'wss:', 'tls:'].includes(new URL(url).protocol) ? tls : undefined;
}
