/**
 * HTML built with the `html` tagged template: every interpolated value is escaped unless it is
 * itself `Html` (built by `html` or declared `trusted`), so escaping is the default, not a habit.
 */
export class Html {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toString(): string {
    return this.text;
  }

  /** Live updates send fragments as JSON strings. */
  toJSON(): string {
    return this.text;
  }
}

/** What may be interpolated: text (escaped), numbers, nothing (`false`, null, undefined), Html, or lists of these. */
export type HtmlValue = Html | string | number | false | null | undefined | readonly HtmlValue[];

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup our own code generated (an SVG chart, a QR code): never text from outside. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

const PAGE_STYLE = trusted(`body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}.ok{color:#0a6b2b}.bad{color:#a30f0f}.note{background:#f3f3f3;padding:.75rem 1rem;border-radius:6px}
a.button{display:inline-block;background:#1a5fb4;color:#fff;padding:.5rem 1rem;border-radius:6px;text-decoration:none}
a.button:focus{outline:3px solid #f5c211}`);

/** A small self-contained page (no external assets: it must work offline on a home network). */
export function page(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
${PAGE_STYLE}
</style></head><body>
${body}
</body></html>`;
}
