import type { StreamingCard } from '../../telemetry/card.js';
import { escapeHtml as e } from '../html.js';
import type { StreamingProvider } from './providers.js';
import { timeHtml } from './render-devices.js';

const yes = (ok: boolean, text: string): string => `<span class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${e(text)}</span>`;

function receiverLines(card: StreamingCard): string[] {
  if (card.source === 'mqtt') return [`<li>Values arrive through Tesla's fleet-telemetry server and MQTT (telemetry.source: mqtt).</li>`];
  const receiver = card.receiver;
  const lines = [
    `<li>Receiver: ${receiver?.listening ? yes(true, `listening on ${receiver.listen}`) : yes(false, `not listening${receiver?.problem ? `: ${receiver.problem}` : ''}`)}; cars dial ${e(card.hostname ?? '(telemetry.hostname not set)')}:${card.port}</li>`,
  ];
  const cert = card.certificate;
  if (cert) {
    lines.push(
      `<li>Certificate: ${yes(!cert.expired, cert.expired ? 'expired' : `valid until ${new Date(cert.validTo).toISOString().slice(0, 10)} (${cert.daysLeft} days)`)}; ` +
        `${yes(cert.coversHostname, `names ${cert.names.join(', ') || '(none)'}${card.hostname ? cert.coversHostname ? ` cover ${card.hostname}` : ` do not cover ${card.hostname}` : ''}`)}; ` +
        `${yes(cert.chainComplete, cert.chainComplete ? `chain complete (issued by ${cert.issuers.join(' → ')})` : 'chain incomplete (only the server certificate)')}</li>`,
    );
  }
  const refused = Object.entries(receiver?.refusals ?? {});
  if (refused.length > 0) lines.push(`<li class="muted">Refused since start: ${e(refused.map(([cause, count]) => `${cause.replaceAll('_', ' ')} ${count}`).join(', '))}</li>`);
  return lines;
}

function carRows(card: StreamingCard): string {
  return card.cars
    .map(
      (car) =>
        `<tr><th scope="row">${e(car.vin)}</th><td>${car.configOk ? yes(true, 'configured') : e(car.configured)}</td><td>${car.synced === undefined ? 'unknown' : car.synced ? 'yes' : 'no'}</td>` +
        `<td>${car.connected ? yes(true, 'connected') : 'no'}</td><td>${car.lastMessageAt === undefined ? 'none yet' : timeHtml(car.lastMessageAt)}</td><td>${e(car.mode)}: <span class="reason">${e(car.reason)}</span></td></tr>`,
    )
    .join('');
}

/** The Fleet Telemetry card: receiver, certificate, each car, and the next step in words. */
export function renderStreaming(provider: StreamingProvider | undefined): string {
  const card = provider?.card?.();
  if (!card) return '<p class="muted">Streaming (Fleet Telemetry) is off: telemetry.enabled in config.yaml; see the README.</p>';
  const table = card.cars.length === 0 ? '<p class="muted">No cars yet.</p>' : `<table><caption>Cars</caption><thead><tr><th scope="col">Car</th><th scope="col">Configured</th><th scope="col">Synced</th><th scope="col">Connected now</th><th scope="col">Last message</th><th scope="col">Values</th></tr></thead><tbody>${carRows(card)}</tbody></table>`;
  return `<ul class="health">${receiverLines(card).join('')}</ul>${table}<p><strong>Next step:</strong> ${e(card.next)}</p>`;
}
