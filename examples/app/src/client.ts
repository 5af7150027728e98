// The browser side of the example: the app's own events through @lotse/sdk, the widget through the
// Lotse command API, and a signed identify fetched from the app's server.
import { createClient } from '@lotse/sdk';
import { createBrowserPlatform } from '@lotse/sdk/browser';

const { endpoint = '', site = '' } = document.body.dataset;
const log = document.getElementById('log');

/** Appends one line to the on-page event log (as text, never as HTML). */
function note(text: string): void {
  const item = document.createElement('li');
  item.textContent = text;
  log?.append(item);
}

// The app's own events go to the same server as the widget's: here, an NPS question in the app.
const lotse = createClient({ endpoint, siteKey: site, platform: createBrowserPlatform() });
lotse.on('sent', ({ events }) => note(`sdk: sent ${events.map((e) => e.type).join(', ')}`));
lotse.on('drop', ({ events, reason }) => note(`sdk: dropped ${events.length} (${reason})`));
lotse.on('error', (error) => note(`sdk: ${error.message}`));

document.getElementById('nps')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const score = Number((document.getElementById('nps-score') as HTMLInputElement).value);
  lotse.track('nps.submitted', { score });
  void lotse.flush();
});

// Widget commands; queued by the stub until lotse.js has loaded.
document.getElementById('open')?.addEventListener('click', () => window.Lotse('open'));
document
  .getElementById('ask')
  ?.addEventListener('click', () => window.Lotse('ask', 'Wo ist mein Paket?'));
document.getElementById('sign-in')?.addEventListener('click', async () => {
  const response = await fetch('/api/identity', { method: 'POST' });
  const { userId, signature } = (await response.json()) as { userId: string; signature: string };
  window.Lotse('identify', { userId, signature });
  lotse.identify({ userId, signature });
  note(`identify: ${userId}`);
});

// Every analytics event the widget reports, and one event by name. (Called after the loader ran,
// `on` returns the function that stops listening.)
window.addEventListener('load', () => {
  window.Lotse('on', 'event', ({ name }) => note(`widget: ${name}`));
  window.Lotse('on', 'handoff.created', ({ ticketId }) =>
    note(`widget: handed off as ticket ${String(ticketId)}`),
  );
});
