import { BILLING_CATEGORIES, type BillingCategory, type CategoryCounts, emptyCounts, PRICE_USD } from '../../fleet/pricing.js';
import type { BudgetStatus } from '../../poller/budget.js';
import { type Html, html } from '../html.js';
import type { MonthUsage } from '../../storage/usage-ledger.js';

export interface DaySpend {
  day: string;
  counts: CategoryCounts;
  usd: number;
}

export interface MoneyView {
  month: string;
  spentUsd: number;
  budgetUsd: number;
  projectedUsd: number;
  mode: BudgetStatus['mode'];
  counts: CategoryCounts;
  usdByCategory: Record<BillingCategory, number>;
  /** Every day of the month, in order, zero where nothing was billed. */
  days: DaySpend[];
}

export const CATEGORY_LABELS: Record<BillingCategory, string> = { data: 'data', command: 'commands', wake: 'wakes', signal: 'streaming signals' };
/** Each at least 4.5:1 against white, so bars and legend read for people with low vision. */
export const CATEGORY_COLOURS: Record<BillingCategory, string> = { data: '#1a5fb4', command: '#a34400', wake: '#7a2e91', signal: '#1d7a45' };

/** The month's spend, by day (every day of the month) and by category, with the budget's view. */
export function moneyView(usage: MonthUsage, budget: BudgetStatus): MoneyView {
  const [year, month] = usage.month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const byDay = new Map(usage.days.map((day) => [day.day, day]));
  const days: DaySpend[] = [];
  for (let d = 1; d <= daysInMonth; d++) {
    const day = `${usage.month}-${String(d).padStart(2, '0')}`;
    const found = byDay.get(day);
    days.push(found ? { day, counts: { ...found.counts }, usd: found.usd } : { day, counts: emptyCounts(), usd: 0 });
  }
  const usdByCategory = Object.fromEntries(BILLING_CATEGORIES.map((c) => [c, usage.counts[c] * PRICE_USD[c]])) as Record<BillingCategory, number>;
  return {
    month: usage.month,
    spentUsd: usage.usd,
    budgetUsd: budget.budgetUsd,
    projectedUsd: budget.projectedUsd,
    mode: budget.mode,
    counts: { ...usage.counts },
    usdByCategory,
    days,
  };
}

export function usd(value: number): string {
  return value < 0.01 && value > 0 ? `$${value.toFixed(3)}` : `$${value.toFixed(2)}`;
}

const W = 640;
const H = 220;
const LEFT = 48;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;

/**
 * A stacked bar per day (one colour per billing category) and the daily share of the budget as
 * a dashed line, as inline SVG: drawn by the page itself, no library, readable without script.
 */
export function spendChartSvg(view: MoneyView): Html {
  const dailyBudget = view.budgetUsd / view.days.length;
  const highest = Math.max(...view.days.map((d) => d.usd));
  // Scaled to the days themselves when the budget line would squash them to slivers.
  const budgetShown = dailyBudget > 0 && (highest === 0 || dailyBudget <= highest * 4);
  const top = Math.max(highest, budgetShown ? dailyBudget : 0, 0.001) * 1.15;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / view.days.length;
  const barW = Math.max(2, slot * 0.7);
  const y = (value: number): number => TOP + plotH - (value / top) * plotH;
  const parts: Html[] = [];
  parts.push(html`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${W - RIGHT}" y2="${TOP + plotH}" stroke="#555"/>`);
  for (const fraction of [0.5, 1]) {
    const value = (top / 1.15) * fraction;
    parts.push(html`<line x1="${LEFT}" y1="${y(value).toFixed(1)}" x2="${W - RIGHT}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(html`<text x="${LEFT - 4}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#333">${usd(value)}</text>`);
  }
  view.days.forEach((day, index) => {
    const x = LEFT + index * slot + (slot - barW) / 2;
    let base = 0;
    for (const category of BILLING_CATEGORIES) {
      const value = day.counts[category] * PRICE_USD[category];
      if (value <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + value);
      base += value;
      const tip = `${day.day}: ${CATEGORY_LABELS[category]} ${usd(value)} (${day.counts[category]} billed)`;
      parts.push(
        html`<rect class="bar" data-day="${day.day}" data-category="${category}" x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${CATEGORY_COLOURS[category]}"><title>${tip}</title></rect>`,
      );
    }
    const dayNumber = index + 1;
    if (dayNumber === 1 || dayNumber % 7 === 1) {
      parts.push(
        html`<text x="${(LEFT + index * slot + slot / 2).toFixed(1)}" y="${H - 10}" text-anchor="middle" font-size="11" fill="#333">${dayNumber}</text>`,
      );
    }
  });
  if (budgetShown) {
    parts.push(
      html`<line class="budget-line" x1="${LEFT}" y1="${y(dailyBudget).toFixed(1)}" x2="${W - RIGHT}" y2="${y(dailyBudget).toFixed(1)}" stroke="#a30f0f" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      html`<text x="${W - RIGHT}" y="${(y(dailyBudget) - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#a30f0f">daily budget ${usd(dailyBudget)}</text>`,
    );
  } else if (dailyBudget > 0) {
    parts.push(
      html`<text x="${W - RIGHT}" y="${TOP + 10}" text-anchor="end" font-size="11" fill="#a30f0f">daily budget ${usd(dailyBudget)}, far above every day</text>`,
    );
  }
  const billedDays = view.days.filter((d) => d.usd > 0).length;
  const desc = `API spend per day in ${view.month}: ${usd(view.spentUsd)} over ${billedDays} day${billedDays === 1 ? '' : 's'} with billed calls, against a budget of ${usd(view.budgetUsd)} (${usd(dailyBudget)} a day).`;
  return html`<svg id="spend-chart" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="spend-chart-title spend-chart-desc"><title id="spend-chart-title">API spend per day, ${view.month}</title><desc id="spend-chart-desc">${desc}</desc>${parts}</svg>`;
}
