/**
 * The page's style sheet, served from /assets/app.css. Colours are chosen for at least 4.5:1
 * contrast on their backgrounds (text) and 3:1 (focus ring, borders of controls).
 */
export const APP_CSS = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1a1a1a;background:#fff}
header,main{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid #ccc}
h1{font-size:1.6rem;margin:.25rem 0}h1 small{font-size:.9rem;color:#555;font-weight:normal}
h2{font-size:1.3rem;margin:1.75rem 0 .5rem;border-bottom:2px solid #1a5fb4;padding-bottom:.2rem}
h3{font-size:1.1rem;margin:.5rem 0}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0}
a{color:#1450a0}a:visited{color:#5b2a86}
:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}.skip:focus{left:1rem;z-index:10}
.muted{color:#555}.ok{color:#0a6b2b}.bad{color:#a30f0f}
.note{background:#f3f3f3;padding:.75rem 1rem;border-radius:6px}
.callout{background:#eef4fc;border-left:6px solid #1a5fb4;padding:.75rem 1rem;border-radius:4px}
.callout.ok{background:#edf7ef;border-left-color:#0a6b2b;color:#1a1a1a}
a.button,button{display:inline-block;font:inherit;background:#1a5fb4;color:#fff;padding:.35rem .9rem;border-radius:6px;border:1px solid #0b3d91;text-decoration:none;cursor:pointer;min-height:2.25rem}
a.button:visited{color:#fff}
button[aria-pressed="true"]{background:#0b3d91;box-shadow:inset 0 0 0 2px #fff}
button:disabled{background:#6b6b6b;border-color:#555;cursor:wait}
input,select{font:inherit;padding:.25rem .4rem;border:1px solid #6b6b6b;border-radius:4px;background:#fff;color:#1a1a1a;min-height:2.25rem}
input[type=number]{width:6rem}
label,legend{font-weight:600}
fieldset{border:0;padding:0;margin:0}
form.control{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;margin:.35rem 0}
form.control fieldset{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem}
form.control legend{float:left;margin-right:.4rem}
form.inline{display:inline}
.checklist{padding-left:1.5rem}
.step{margin:.5rem 0;padding:.25rem .75rem;border-left:4px solid #ccc}
.step.next{border-left-color:#1a5fb4;background:#f7faff}
.step-done{border-left-color:#0a6b2b}.step-problem{border-left-color:#a30f0f}
.status{font-size:.9rem;font-weight:normal;padding:0 .4rem;border-radius:4px;white-space:nowrap}
.status-done{color:#0a6b2b}.status-problem{color:#a30f0f}.status-todo{color:#1450a0}
.status-pending,.status-unknown,.status-blocked{color:#555}
.items{padding-left:1.25rem}
.pairing figure{margin:.5rem 0}.qr{width:10rem;height:10rem;border:1px solid #ccc}
#device-list{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:1rem}
.device{border:1px solid #bbb;border-radius:8px;padding:.5rem 1rem 1rem}
.device h3 .muted{font-size:.85rem;font-weight:normal;display:block}
dl.poll{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0}
dl.poll dt{font-weight:600}dl.poll dd{margin:0}
.reason{color:#333}
.result:empty{display:none}
.result{padding:.4rem .6rem;border-radius:4px;background:#f3f3f3}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
thead th{border-bottom:2px solid #999}
.values td{font-variant-numeric:tabular-nums}
.tag{display:inline-block;font-size:.8rem;background:#e8e8e8;color:#1a1a1a;border-radius:4px;padding:0 .35rem}
.events{list-style:none;padding:0}
.event{padding:.3rem 0;border-bottom:1px solid #eee}
.event.failed{border-left:4px solid #a30f0f;padding-left:.5rem}
.chart{width:100%;max-width:40rem;height:auto;border:1px solid #ddd;background:#fff}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;vertical-align:middle}
meter{width:12rem}
details{margin:.5rem 0}summary{cursor:pointer;color:#1450a0}
`;
