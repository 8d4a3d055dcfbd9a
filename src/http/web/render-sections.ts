import type { HealthReport } from '../../core/health.js';
import { BILLING_CATEGORIES } from '../../fleet/pricing.js';
import { escapeHtml as e } from '../html.js';
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
export function renderMoney(view: MoneyView): string {
  const share = view.budgetUsd > 0 ? Math.min(100, (view.spentUsd / view.budgetUsd) * 100) : 0;
  const over = view.projectedUsd > view.budgetUsd;
  const categories = BILLING_CATEGORIES.filter((c) => c !== 'signal' || view.counts.signal > 0)
    .map((c) => `<tr><th scope="row"><span class="swatch" style="background:${CATEGORY_COLOURS[c]}" aria-hidden="true"></span> ${e(CATEGORY_LABELS[c])}</th><td data-money="count-${c}">${view.counts[c]}</td><td data-money="usd-${c}">${usd(view.usdByCategory[c])}</td></tr>`)
    .join('');
  const billedDays = view.days.filter((d) => d.usd > 0);
  const dayRows = billedDays
    .map((d) => `<tr><th scope="row">${e(d.day)}</th>${BILLING_CATEGORIES.map((c) => `<td>${d.counts[c]}</td>`).join('')}<td>${usd(d.usd)}</td></tr>`)
    .join('');
  return `<p class="spend"><strong data-money="spent">${usd(view.spentUsd)}</strong> spent in ${e(view.month)} of a <span data-money="budget">${usd(view.budgetUsd)}</span> budget;
projected <strong data-money="projected" class="${over ? 'bad' : 'ok'}">${usd(view.projectedUsd)}</strong> by the end of the month (${e(MODE_WORDS[view.mode])}).</p>
<p><label for="spend-meter">Share of the budget spent</label> <meter id="spend-meter" min="0" max="100" low="70" high="90" optimum="0" value="${share.toFixed(1)}">${share.toFixed(0)} %</meter> ${share.toFixed(0)} %</p>
<figure class="chart-figure">${spendChartSvg(view)}<figcaption>Billed Fleet API calls per day, coloured by category. The dashed line, when in range, is the budget spread evenly over the month.</figcaption></figure>
<table class="categories"><caption>This month by category</caption><thead><tr><th scope="col">Category</th><th scope="col">Billed calls</th><th scope="col">Cost</th></tr></thead><tbody>${categories}</tbody></table>
<details><summary>Spend per day (${billedDays.length} day${billedDays.length === 1 ? '' : 's'} with billed calls)</summary>
${billedDays.length === 0 ? '<p class="muted">Nothing billed this month yet.</p>' : `<table class="days"><caption>Billed calls per day</caption><thead><tr><th scope="col">Day</th>${BILLING_CATEGORIES.map((c) => `<th scope="col">${e(CATEGORY_LABELS[c])}</th>`).join('')}<th scope="col">Cost</th></tr></thead><tbody>${dayRows}</tbody></table>`}
</details>`;
}

/** One event line; also sent alone over the live stream. */
export function renderEvent(entry: LoggedEvent): string {
  const s = summarizeEvent(entry.event);
  return `<li class="event event-${s.kind}${s.ok ? '' : ' failed'}" data-seq="${entry.seq}">${timeHtml(entry.at)} <span class="tag">${e(s.kind)}</span> <strong>${e(s.title)}</strong>${s.detail ? ` <span class="${s.ok ? '' : 'bad'}">${e(s.detail)}</span>` : ''}</li>`;
}

export function renderEvents(entries: readonly LoggedEvent[]): string {
  return `<p class="muted">Commands (with who asked), car wakes, problems and automation runs since teslahub started; newest first.</p>
<ol id="event-list" class="events" reversed>${entries.map(renderEvent).join('')}</ol>${entries.length === 0 ? '<p class="muted" data-empty>Nothing has happened yet.</p>' : ''}`;
}

export function renderAutomations(provider: AutomationsProvider | undefined): string {
  if (!provider) return '<p class="muted" data-unavailable>Automations are not available yet in this version; their runs will be listed under Events.</p>';
  const list = provider.list();
  if (list.length === 0) return '<p class="muted">No automations are configured (automations: in config.yaml).</p>';
  const rows = list
    .map((a) => `<tr><th scope="row">${e(a.alias ?? a.id)}</th><td>${a.enabled ? 'enabled' : 'disabled'}</td><td>${a.lastRunAt !== undefined ? timeHtml(a.lastRunAt) : 'never'}</td><td>${e(a.lastResult ?? '')}</td></tr>`)
    .join('');
  return `<table><caption>Automations</caption><thead><tr><th scope="col">Automation</th><th scope="col">State</th><th scope="col">Last run</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderHealth(report: HealthReport): string {
  const items = Object.entries(report.checks)
    .map(([name, check]) => `<li><strong>${e(name)}</strong>: <span class="${check.ok ? 'ok' : 'bad'}">${check.ok ? '✓' : '✗'} ${e(check.reason)}</span>${check.fix ? ` <span class="muted">(fix: ${e(check.fix)})</span>` : ''}</li>`)
    .join('');
  return `<ul class="health">${items}</ul><p class="muted">Also as JSON at <a href="/healthz">/healthz</a> and <a href="/api/status">/api/status</a>; metrics for Prometheus at <a href="/metrics">/metrics</a>.</p>`;
}
