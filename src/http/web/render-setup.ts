import { type Html, html } from '../html.js';
import { nextStep, type Step, type StepStatus } from './onboarding.js';
import { qrSvg } from './qr.js';

/** Words beside the colour, so the state never depends on seeing colour. */
export const STATUS_WORDS: Record<StepStatus, { mark: string; word: string }> = {
  done: { mark: '✓', word: 'done' },
  todo: { mark: '→', word: 'to do' },
  problem: { mark: '!', word: 'needs attention' },
  pending: { mark: '…', word: 'checking' },
  unknown: { mark: '?', word: 'not known yet' },
  blocked: { mark: '–', word: 'waiting for an earlier step' },
};

function status(s: StepStatus): Html {
  const { mark, word } = STATUS_WORDS[s];
  return html`<span class="status status-${s}"><span aria-hidden="true">${mark}</span> ${word}</span>`;
}

function renderStep(step: Step, isNext: boolean): Html {
  const items =
    step.items &&
    step.items.length > 0 &&
    html`<ul class="items">${step.items.map((item) => html`<li>${status(item.status)} <strong>${item.label}</strong>${item.detail && `: ${item.detail}`}</li>`)}</ul>`;
  const action = step.action && html`<p><a class="button" href="${step.action.href}">${step.action.label}</a></p>`;
  const pairing =
    step.id === 'pairing' &&
    step.link &&
    html`<div class="pairing"><p>Pairing link: <a href="${step.link}">${step.link}</a></p><figure>${qrSvg(step.link, `QR code of the pairing link ${step.link}`)}<figcaption>Scan with the phone that has the Tesla app.</figcaption></figure></div>`;
  const next = step.next && step.status !== 'done' && html`<p class="next-text"><strong>Next:</strong> ${step.next}</p>`;
  return html`<li class="step step-${step.status}${isNext ? ' next' : ''}" data-step="${step.id}"${isNext && html` aria-current="step"`}>
<h3>${step.title} ${status(step.status)}</h3>
<p>${step.summary}</p>${next}${action}${items}${pairing}
</li>`;
}

/** The onboarding checklist, with the next step called out above it; folded once everything is done. */
export function renderSetup(steps: readonly Step[], csrf: string): Html {
  const next = nextStep(steps);
  const allDone = steps.every((s) => s.status === 'done');
  const callout = next
    ? html`<p class="callout" id="next-step"><strong>Next step: ${next.title}.</strong> ${next.next ?? next.summary}${next.action && html` <a class="button" href="${next.action.href}">${next.action.label}</a>`}</p>`
    : allDone
      ? html`<p class="callout ok" id="next-step">Everything is set up.</p>`
      : html`<p class="callout" id="next-step">Nothing to do right now; some checks are still running or not available yet.</p>`;
  const list = html`<ol class="checklist">${steps.map((s, i) => html`${i > 0 && '\n'}${renderStep(s, s === next)}`)}</ol>`;
  return html`${callout}
<form class="inline" method="post" action="/api/onboarding/recheck"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Check again</button></form>
${allDone ? html`<details><summary>Show the set-up checklist</summary>${list}</details>` : list}`;
}
