import type { StreamingCard } from '../../telemetry/card.js';
import { type Html, html } from '../html.js';
import type { StreamingProvider } from './providers.js';
import { timeHtml } from './render-devices.js';

const yes = (ok: boolean, text: string): Html => html`<span class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${text}</span>`;

function certificateLine(card: StreamingCard): Html | false {
  const cert = card.certificate;
  if (!cert) return false;
  const expiry = yes(!cert.expired, cert.expired ? 'expired' : `valid until ${new Date(cert.validTo).toISOString().slice(0, 10)} (${cert.daysLeft} days)`);
  const cover = card.hostname ? (cert.coversHostname ? ` cover ${card.hostname}` : ` do not cover ${card.hostname}`) : '';
  const names = yes(cert.coversHostname, `names ${cert.names.join(', ') || '(none)'}${cover}`);
  const chain = yes(
    cert.chainComplete,
    cert.chainComplete ? `chain complete (issued by ${cert.issuers.join(' → ')})` : 'chain incomplete (only the server certificate)',
  );
  return html`<li>Certificate: ${expiry}; ${names}; ${chain}</li>`;
}

function receiverLines(card: StreamingCard): Html {
  if (card.source === 'mqtt') return html`<li>Values arrive through Tesla's fleet-telemetry server and MQTT (telemetry.source: mqtt).</li>`;
  const receiver = card.receiver;
  const state = receiver?.listening
    ? yes(true, `listening on ${receiver.listen}`)
    : yes(false, `not listening${receiver?.problem ? `: ${receiver.problem}` : ''}`);
  const refused = Object.entries(receiver?.refusals ?? {});
  return html`<li>Receiver: ${state}; cars dial ${card.hostname ?? '(telemetry.hostname not set)'}:${card.port}</li>${certificateLine(card)}${
    refused.length > 0 &&
    html`<li class="muted">Refused since start: ${refused.map(([cause, count]) => `${cause.replaceAll('_', ' ')} ${count}`).join(', ')}</li>`
  }`;
}

function carRows(card: StreamingCard): Html[] {
  return card.cars.map(
    (car) =>
      html`<tr><th scope="row">${car.vin}</th><td>${car.configOk ? yes(true, 'configured') : car.configured}</td><td>${car.synced === undefined ? 'unknown' : car.synced ? 'yes' : 'no'}</td><td>${car.connected ? html`${yes(true, 'connected')}${car.heardAt !== undefined && html`, heard ${timeHtml(car.heardAt)}`}` : 'no'}</td><td>${car.lastMessageAt === undefined ? 'none yet' : timeHtml(car.lastMessageAt)}</td><td>${car.mode}: <span class="reason">${car.reason}</span></td></tr>`,
  );
}

/** The Fleet Telemetry card: receiver, certificate, each car, and the next step in words. */
export function renderStreaming(provider: StreamingProvider | undefined): Html {
  const card = provider?.card?.();
  if (!card) return html`<p class="muted">Streaming (Fleet Telemetry) is off: telemetry.enabled in config.yaml; see the README.</p>`;
  const table =
    card.cars.length === 0
      ? html`<p class="muted">No cars yet.</p>`
      : html`<table><caption>Cars</caption><thead><tr><th scope="col">Car</th><th scope="col">Configured</th><th scope="col">Synced</th><th scope="col">Connected now</th><th scope="col">Last message</th><th scope="col">Values</th></tr></thead><tbody>${carRows(card)}</tbody></table>`;
  return html`<ul class="health">${receiverLines(card)}</ul>${table}<p><strong>Next step:</strong> ${card.next}</p>`;
}
