/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A small self-contained page (no external assets: it must work offline on a home network). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}.ok{color:#0a6b2b}.bad{color:#a30f0f}.note{background:#f3f3f3;padding:.75rem 1rem;border-radius:6px}
a.button{display:inline-block;background:#1a5fb4;color:#fff;padding:.5rem 1rem;border-radius:6px;text-decoration:none}
a.button:focus{outline:3px solid #f5c211}
</style></head><body>
${body}
</body></html>`;
}
