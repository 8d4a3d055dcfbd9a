import { escapeHtml as e } from '../html.js';
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

function status(s: StepStatus): string {
  const { mark, word } = STATUS_WORDS[s];
  return `<span class="status status-${s}"><span aria-hidden="true">${mark}</span> ${word}</span>`;
}

function renderStep(step: Step, isNext: boolean): string {
  const items = step.items && step.items.length > 0
    ? `<ul class="items">${step.items.map((item) => `<li>${status(item.status)} <strong>${e(item.label)}</strong>${item.detail ? `: ${e(item.detail)}` : ''}</li>`).join('')}</ul>`
    : '';
  const action = step.action ? `<p><a class="button" href="${e(step.action.href)}">${e(step.action.label)}</a></p>` : '';
  const pairing = step.id === 'pairing' && step.link
    ? `<div class="pairing"><p>Pairing link: <a href="${e(step.link)}">${e(step.link)}</a></p><figure>${qrSvg(step.link, `QR code of the pairing link ${step.link}`)}<figcaption>Scan with the phone that has the Tesla app.</figcaption></figure></div>`
    : '';
  return `<li class="step step-${step.status}${isNext ? ' next' : ''}" data-step="${step.id}"${isNext ? ' aria-current="step"' : ''}>
<h3>${e(step.title)} ${status(step.status)}</h3>
<p>${e(step.summary)}</p>${step.next && step.status !== 'done' ? `<p class="next-text"><strong>Next:</strong> ${e(step.next)}</p>` : ''}${action}${items}${pairing}
</li>`;
}

/** The onboarding checklist, with the next step called out above it; folded once everything is done. */
export function renderSetup(steps: readonly Step[], csrf: string): string {
  const next = nextStep(steps);
  const allDone = steps.every((s) => s.status === 'done');
  const callout = next
    ? `<p class="callout" id="next-step"><strong>Next step: ${e(next.title)}.</strong> ${e(next.next ?? next.summary)}${next.action ? ` <a class="button" href="${e(next.action.href)}">${e(next.action.label)}</a>` : ''}</p>`
    : allDone
      ? '<p class="callout ok" id="next-step">Everything is set up.</p>'
      : '<p class="callout" id="next-step">Nothing to do right now; some checks are still running or not available yet.</p>';
  const list = `<ol class="checklist">${steps.map((s) => renderStep(s, s === next)).join('\n')}</ol>`;
  return `${callout}
<form class="inline" method="post" action="/api/onboarding/recheck"><input type="hidden" name="_csrf" value="${e(csrf)}"><button type="submit">Check again</button></form>
${allDone ? `<details><summary>Show the set-up checklist</summary>${list}</details>` : list}`;
}
