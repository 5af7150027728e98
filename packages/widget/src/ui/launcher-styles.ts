// Host-side styles, adopted as a constructable stylesheet (no <style> element, so a strict CSP without
// 'unsafe-inline' applies them). Only px units: `rem` would follow the host's <html> font size.
// The wrapper's `all: initial` stops the host's inherited styles (font, colour, line height).

/** Styles of the launcher and the panel frame inside the widget's shadow root. */
export const launcherCss = `
.r{all:initial;--b:var(--lotse-brand,var(--bd));--t:var(--lotse-on-brand,var(--td))}
.l{all:initial;box-sizing:border-box;position:fixed;bottom:20px;right:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;min-height:48px;min-width:48px;padding:0 20px;border-radius:24px;background:var(--b);color:var(--t);font:600 16px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}
.left .l{right:auto;left:20px}
.l:focus-visible{outline:3px solid #000;outline-offset:2px;box-shadow:0 0 0 6px #fff}
.n{min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#b00020;color:#fff;font:700 13px/20px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
.n[hidden]{display:none}
.l svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2}
.f{all:initial;position:fixed;top:0;left:0;z-index:2147483001;box-sizing:border-box;width:380px;height:600px;border:0;border-radius:12px;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.3);color-scheme:normal}
.f[hidden]{display:none}
.u{all:initial;display:block;position:fixed;bottom:80px;right:20px;z-index:2147483001;box-sizing:border-box;max-width:min(320px,calc(100vw - 40px));padding:12px 16px;border-radius:12px;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 8px 32px rgba(0,0,0,.3)}
.left .u{right:auto;left:20px}
.u[hidden]{display:none}
.full .f{top:0!important;left:0!important;width:100%;height:100%;max-width:none!important;max-height:none!important;border-radius:0}
@media (prefers-reduced-motion:no-preference){.l{transition:transform .15s}.l:hover{transform:translateY(-2px)}}
@media (forced-colors:active){.l,.u{border:2px solid ButtonText}}
`;
