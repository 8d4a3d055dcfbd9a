import type { HealthReport } from '../../core/health.js';
import { BILLING_CATEGORIES } from '../../fleet/pricing.js';
import { type Html, html } from '../html.js';
import { type LoggedEvent, summarizeEvent } from './event-log.js';
import { CATEGORY_COLOURS, CATEGORY_LABELS, type MoneyView, spendChartSvg, usd } from './money.js';
import type { AutomationsProvider } from './providers.js';
import { timeHtml } from './render-devices.js';

const MODE_WORDS: Record<MoneyView['mode'], string> = {
  normal: 'polling normally',
  slow: 'polling slowed down to stay within the budget',
  stop: 'billed polling stopped until the month turns',
};

/** This month's API spend against the budget: totals, per category, the chart and the days as a table. */
export function renderMoney(view: MoneyView): Html {
  const share = view.budgetUsd > 0 ? Math.min(100, (view.spentUsd / view.budgetUsd) * 100) : 0;
  const over = view.projectedUsd > view.budgetUsd;
  const categories = BILLING_CATEGORIES.filter((c) => c !== 'signal' || view.counts.signal > 0).map(
    (c) =>
      html`<tr><th scope="row"><span class="swatch" style="background:${CATEGORY_COLOURS[c]}" aria-hidden="true"></span> ${CATEGORY_LABELS[c]}</th><td data-money="count-${c}">${view.counts[c]}</td><td data-money="usd-${c}">${usd(view.usdByCategory[c])}</td></tr>`,
  );
  const billedDays = view.days.filter((d) => d.usd > 0);
  const dayRows = billedDays.map(
    (d) => html`<tr><th scope="row">${d.day}</th>${BILLING_CATEGORIES.map((c) => html`<td>${d.counts[c]}</td>`)}<td>${usd(d.usd)}</td></tr>`,
  );
  const dayHeads = BILLING_CATEGORIES.map((c) => html`<th scope="col">${CATEGORY_LABELS[c]}</th>`);
  const days =
    billedDays.length === 0
      ? html`<p class="muted">Nothing billed this month yet.</p>`
      : html`<table class="days"><caption>Billed calls per day</caption><thead><tr><th scope="col">Day</th>${dayHeads}<th scope="col">Cost</th></tr></thead><tbody>${dayRows}</tbody></table>`;
  return html`<p class="spend"><strong data-money="spent">${usd(view.spentUsd)}</strong> spent in ${view.month} of a <span data-money="budget">${usd(view.budgetUsd)}</span> budget;
projected <strong data-money="projected" class="${over ? 'bad' : 'ok'}">${usd(view.projectedUsd)}</strong> by the end of the month (${MODE_WORDS[view.mode]}).</p>
<p><label for="spend-meter">Share of the budget spent</label> <meter id="spend-meter" min="0" max="100" low="70" high="90" optimum="0" value="${share.toFixed(1)}">${share.toFixed(0)} %</meter> ${share.toFixed(0)} %</p>
<figure class="chart-figure">${spendChartSvg(view)}<figcaption>Billed Fleet API calls per day, coloured by category. The dashed line, when in range, is the budget spread evenly over the month.</figcaption></figure>
<table class="categories"><caption>This month by category</caption><thead><tr><th scope="col">Category</th><th scope="col">Billed calls</th><th scope="col">Cost</th></tr></thead><tbody>${categories}</tbody></table>
<details><summary>Spend per day (${billedDays.length} day${billedDays.length === 1 ? '' : 's'} with billed calls)</summary>
${days}
</details>`;
}

/** One event line; also sent alone over the live stream. */
export function renderEvent(entry: LoggedEvent): Html {
  const s = summarizeEvent(entry.event);
  const detail = s.detail && html` <span class="${s.ok ? '' : 'bad'}">${s.detail}</span>`;
  return html`<li class="event event-${s.kind}${s.ok ? '' : ' failed'}" data-seq="${entry.seq}">${timeHtml(entry.at)} <span class="tag">${s.kind}</span> <strong>${s.title}</strong>${detail}</li>`;
}

export function renderEvents(entries: readonly LoggedEvent[]): Html {
  return html`<p class="muted">Commands (with who asked), car wakes, problems and automation runs since teslahub started; newest first.</p>
<ol id="event-list" class="events" reversed>${entries.map(renderEvent)}</ol>${entries.length === 0 && html`<p class="muted" data-empty>Nothing has happened yet.</p>`}`;
}

export function renderAutomations(provider: AutomationsProvider | undefined): Html {
  if (!provider) return html`<p class="muted" data-unavailable>Automations are not available yet in this version; their runs will be listed under Events.</p>`;
  const list = provider.list();
  if (list.length === 0) return html`<p class="muted">No automations are configured (automations: in config.yaml).</p>`;
  const rows = list.map(
    (a) =>
      html`<tr><th scope="row">${a.alias ?? a.id}</th><td>${a.enabled ? 'enabled' : 'disabled'}</td><td>${a.lastRunAt !== undefined ? timeHtml(a.lastRunAt) : 'never'}</td><td>${a.lastResult ?? ''}</td></tr>`,
  );
  return html`<table><caption>Automations</caption><thead><tr><th scope="col">Automation</th><th scope="col">State</th><th scope="col">Last run</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderHealth(report: HealthReport): Html {
  const items = Object.entries(report.checks).map(
    ([name, check]) =>
      html`<li><strong>${name}</strong>: <span class="${check.ok ? 'ok' : 'bad'}">${check.ok ? '✓' : '✗'} ${check.reason}</span>${check.fix && html` <span class="muted">(fix: ${check.fix})</span>`}</li>`,
  );
  return html`<ul class="health">${items}</ul><p class="muted">Also as JSON at <a href="/healthz">/healthz</a> and <a href="/api/status">/api/status</a>; metrics for Prometheus at <a href="/metrics">/metrics</a>.</p>`;
}
