/** Settings the page needs, written into its HTML by the server. */
export interface PageOptions {
  /** Origin of the Lotse server (`pnpm start` at the repository root). */
  endpoint: string;
  /** Site key the server knows. */
  site: string;
  locale: 'de' | 'en';
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The app's one page: the Lotse stub and embed tag, a few buttons, and an event log. */
export function renderPage({ endpoint, site, locale }: PageOptions): string {
  const de = locale === 'de';
  const e = escapeAttribute;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${de ? 'Beispiel-App mit Lotse' : 'Example app with Lotse'}</title>
<link rel="stylesheet" href="/app.css">
<!-- The documented two-line stub: Lotse(...) calls made before the loader has run are queued. -->
<script>window.Lotse=window.Lotse||function(){(Lotse.q=Lotse.q||[]).push(arguments)};</script>
<script async src="${e(endpoint)}/lotse.js" data-site="${e(site)}" data-locale="${locale}"></script>
<script type="module" src="/app.js"></script>
</head>
<body data-endpoint="${e(endpoint)}" data-site="${e(site)}">
<main>
<h1>${de ? 'Beispiel-App' : 'Example app'}</h1>
<p>${de ? 'Diese Seite nutzt das Lotse-SDK und die Lotse-Befehle.' : 'This page uses the Lotse SDK and the Lotse commands.'}</p>
<div class="actions">
<button type="button" id="open">${de ? 'Hilfe öffnen' : 'Open help'}</button>
<button type="button" id="ask">${de ? 'Nach dem Paket fragen' : 'Ask about my parcel'}</button>
<button type="button" id="sign-in">${de ? 'Anmelden (signiertes identify)' : 'Sign in (signed identify)'}</button>
</div>
<form id="nps">
<fieldset>
<legend>${de ? 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen? (0–10)' : 'How likely are you to recommend us? (0–10)'}</legend>
<label for="nps-score">${de ? 'Wert' : 'Score'}</label>
<input id="nps-score" name="score" type="number" min="0" max="10" required>
<button type="submit">${de ? 'Senden' : 'Send'}</button>
</fieldset>
</form>
<h2>${de ? 'Ereignisse' : 'Events'}</h2>
<ol id="log" role="log" aria-live="polite"></ol>
</main>
</body>
</html>`;
}
