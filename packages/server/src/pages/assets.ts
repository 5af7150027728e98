import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import { dashboardCss, dashboardJs } from '../dashboard/dashboard-assets.js';
import type { AppEnv } from '../http/deps.js';
import { liveScript } from '../live/live-script.js';

const require = createRequire(import.meta.url);

/** uPlot (MIT, ≈ 50 KB): the dashboard's chart library, served from our origin for `script-src 'self'`. */
function uplotFile(name: string): string {
  return readFileSync(require.resolve(`uplot/dist/${name}`), 'utf8');
}

// Kept small on purpose: a phone-first layout, visible focus, and tables that scroll on narrow screens.
// Focus is a dark ring (#1b1f24, ≥ 15:1 on white and #f6f7f9) around a white one that fills the
// offset (≥ 6:1 on the blue buttons and the navy header), so one of them stands out at 3:1 against
// every background (WCAG 1.4.11; pages/assets.test.ts computes it). Grid items and messages may
// shrink below their content (`minmax(0,…)`, `min-width:0`): one unbreakable grapheme scrolls within
// its message instead of widening the page on a phone (WCAG 1.4.10). Any text breaks a word that
// is wider than its line rather than widen the page: a German compound ("Wissensdatenbank:") in a
// heading, a site file's path in the checkout on the admin page.
const css = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f6f7f9;overflow-wrap:break-word}
h1,h2,h3{hyphens:auto}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.5rem 1rem;background:#12395b;color:#fff}
header a{color:#fff}
header nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header form{display:flex;gap:.5rem;align-items:center}
.brand{font-weight:700;text-decoration:none}
.lang{margin:0;margin-left:auto}
main{padding:1rem;max-width:72rem;margin:0 auto}
a{color:#0b5cad}
:focus-visible{outline:3px solid #1b1f24;outline-offset:2px;box-shadow:0 0 0 2px #fff}
button,input,select,textarea{font:inherit}
button{padding:.4rem .9rem;border:1px solid #0b5cad;border-radius:.3rem;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
label{display:block;font-weight:600;margin-top:.6rem}
input,select,textarea{padding:.4rem;border:1px solid #8a94a0;border-radius:.3rem;max-width:100%}
textarea{width:100%;min-height:8rem}
.table-wrap{overflow-x:auto;position:relative}
table{border-collapse:collapse;width:100%;background:#fff}
caption{text-align:left;font-weight:600;padding:.4rem 0}
th,td{border-bottom:1px solid #dde1e6;padding:.4rem .5rem;text-align:left;vertical-align:top}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.filters label{margin:0;max-width:100%;min-width:0}
.views ul,.paging ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;margin:0 0 .8rem;padding:0}
.views [aria-current],.quick-tags [aria-current]{font-weight:700;text-decoration-thickness:3px}
.saved-views form{display:inline;margin-left:.5rem}
.views li,.saved-views li,.saved-views button{overflow-wrap:anywhere;min-width:0;max-width:100%}
.state-overdue{color:#a4000f;font-weight:700}
.state-due{color:#8a5a00}
.state-waiting{font-weight:700}
.columns{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
.columns>*{min-width:0}
.columns dd{overflow-wrap:anywhere}
@media (min-width:60rem){.columns{grid-template-columns:minmax(0,2fr) minmax(0,1fr)}}
.card{background:#fff;border:1px solid #dde1e6;border-radius:.4rem;padding:.8rem;margin-bottom:1rem}
.msg{white-space:pre-wrap;overflow-wrap:anywhere}
p.msg{overflow-x:auto}
.live-status[data-state=interrupted],.live-status[data-state=stale]{border-left:4px solid #8a5a00;padding-left:.6rem;font-weight:600}
.msg-agent{border-left:4px solid #0b5cad;padding-left:.6rem}
.msg-visitor,.msg-bot{border-left:4px solid #8a94a0;padding-left:.6rem}
.msg-note{border:2px dashed #8a5a00;background:#fff8e1;padding:.4rem .6rem}
.note-label{text-transform:uppercase;letter-spacing:.05em}
.tags{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:0;padding:0}
.tags li{border:1px solid #8a94a0;border-radius:1rem;padding:0 .5rem;overflow-wrap:anywhere}
.error{color:#a4000f;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.8rem}
.actions form{margin:0}
.chart{width:100%;max-width:48rem;height:auto;background:#fff}
.who{opacity:.85}
code{overflow-wrap:anywhere}
.short{min-height:4rem}
.tall{min-height:24rem;font-family:ui-monospace,monospace}
.diff{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff}
.diff ins{display:block;text-decoration:none;background:#dafbe1}
.diff del{display:block;text-decoration:none;background:#ffebe9}
.answer-preview{border-left:4px solid #1a7f37;padding-left:.6rem}
.skip{position:absolute;left:-999px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
.inline-form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0}
.skip:focus{left:1rem;top:1rem;z-index:10;background:#fff;color:#0b5cad;padding:.4rem}
`;

// Progressive enhancement only: every action works without it. Ctrl+Enter sends a reply; filter
// forms submit on change; a message that scrolls joins the tab order; on the inbox's pages, live
// updates (live/live-script.ts, inert elsewhere).
const js = `document.addEventListener('keydown',function(e){
  if((e.ctrlKey||e.metaKey)&&e.key==='Enter'&&e.target&&e.target.form&&e.target.tagName==='TEXTAREA'){e.preventDefault();e.target.form.requestSubmit();}
});
document.addEventListener('change',function(e){
  var f=e.target&&e.target.form;if(f&&f.hasAttribute('data-autosubmit'))f.requestSubmit();
});
(function(){
  // A message that scrolls (an unbreakable grapheme) must be reachable to scroll by keyboard (WCAG 2.1.1).
  var mark=function(){document.querySelectorAll('p.msg').forEach(function(m){
    if(m.scrollWidth>m.clientWidth+1){if(m.getAttribute('tabindex')!=='0')m.setAttribute('tabindex','0');}
    else if(m.getAttribute('tabindex')==='0')m.removeAttribute('tabindex');
  });};
  if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',mark);else mark();
  window.addEventListener('resize',mark);document.addEventListener('lotse:live-refreshed',mark);
})();
`;

/**
 * Serves the inbox and dashboard's stylesheet and scripts (`/ui/app.css`, `/ui/app.js`,
 * `/ui/dashboard.js`, `/ui/dashboard.css`) and uPlot (`/ui/uplot.js`, `/ui/uplot.css`).
 */
export function registerPageAssets(app: Hono<AppEnv>): void {
  app.get('/ui/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  const uplotJs = uplotFile('uPlot.iife.min.js');
  const uplotCss = uplotFile('uPlot.min.css');
  app.get('/ui/uplot.js', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(uplotJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/ui/uplot.css', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(uplotCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/ui/dashboard.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(dashboardJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/ui/dashboard.css', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(dashboardCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/ui/app.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(js + liveScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
}
