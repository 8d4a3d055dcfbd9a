import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The environment for the browser: the user's machine, not the server. When the suite runs with
 * the date shifted (faketime, in CI's second pass), the browser keeps the real date, as a user's
 * browser does not share the server's clock; the page must not depend on the two agreeing.
 */
export function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'LD_PRELOAD' && !key.startsWith('FAKETIME')) env[key] = value;
  }
  return env;
}

/** Debian's chromium is what CI installs (.ci/run); elsewhere the browser tests say how to get it. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `${CHROMIUM} is missing (fix: apt-get install chromium)`;
  if (process.env.CI) throw new Error(`${message}; CI must install it`);
  return message;
}

/**
 * Waits until a JavaScript expression holds in the page. Playwright's waitForFunction compiles
 * its predicate with eval inside the page, which the page's Content Security Policy forbids (as
 * it should); evaluate() runs through the debugging protocol instead, so it is polled here.
 */
export async function waitInPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await page.evaluate(`Boolean(${expression})`)) === true) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface ContrastProblem {
  text: string;
  ratio: number;
  needed: number;
  colour: string;
  background: string;
}

/**
 * WCAG 2 contrast of every visible piece of text against the background it is drawn on (the
 * nearest ancestor with an opaque background): 4.5:1, or 3:1 for large text.
 */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(CONTRAST_SCRIPT) as Promise<ContrastProblem[]>;
}

/** Form fields without an accessible name, and buttons or links without text. */
export function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(UNLABELLED_SCRIPT) as Promise<string[]>;
}

// Browser-side code as text: the project's TypeScript has no DOM library, on purpose.
const CONTRAST_SCRIPT = String.raw`(() => {
  const parse = (colour) => (colour.match(/[\d.]+/g) || []).map(Number);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      const parts = parse(colour);
      if (parts.length === 3 || (parts[3] || 0) > 0.9) return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const problems = [];
  for (const element of Array.from(document.body.querySelectorAll('*'))) {
    if (element.closest('svg') || element.tagName === 'OPTION' || element.tagName === 'SCRIPT') continue;
    const text = Array.from(element.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent || '').join('').trim();
    if (!text || element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden') continue;
    const fg = luminance(parse(style.color));
    const bgColour = background(element);
    const bg = luminance(parse(bgColour));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) problems.push({ text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100, needed, colour: style.color, background: bgColour });
  }
  return problems;
})()`;

const UNLABELLED_SCRIPT = `(() => {
  const out = [];
  for (const field of Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))) {
    const named = (field.labels && field.labels.length > 0) || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
    if (!named) out.push(field.tagName.toLowerCase() + '#' + (field.id || '(no id)'));
  }
  for (const control of Array.from(document.querySelectorAll('button, a[href]'))) {
    if (!(control.textContent || '').trim() && !control.getAttribute('aria-label')) out.push(control.outerHTML.slice(0, 80));
  }
  return out;
})()`;
