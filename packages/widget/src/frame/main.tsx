// The panel app's entry: reads its config from the URL fragment, loads the site's model, connects the
// bridge to the host page, and renders.
import type { LotseClient } from '@lotse/sdk';
import { createTriage, type Triage } from '@lotse/triage';
import { render } from 'preact';
import type { HostMessage } from '../bridge/messages.js';
import { createPanelBridge } from '../bridge/panel-bridge.js';
import { openPanelStorage } from '../follow-up/panel-storage.js';
import { App } from './app.js';
import { createPanelClient } from './create-panel-client.js';
import { type KbVersionProps, kbVersionProps } from './kb-version.js';
import { readPanelConfig } from './panel-config.js';
import { readWidgetSettings, type WidgetSettings } from './widget-settings.js';
import './panel.css';

function start(): void {
  const root = document.getElementById('lotse');
  const config = readPanelConfig(location.hash, navigator.languages ?? [navigator.language]);
  if (!root || !config) return;
  const style = document.documentElement.style;
  style.setProperty('--brand', config.theme.brand);
  style.setProperty('--on-brand', config.theme.onBrand);

  // Answers and ratings name the model's version, so the dashboard can compare versions.
  let kbVersion: KbVersionProps = {};
  const triage: Promise<Triage> = fetch(`/v1/sites/${encodeURIComponent(config.site)}/model.json`, {
    credentials: 'omit',
  })
    .then((response) => {
      if (!response.ok) throw new Error(`model.json: ${response.status}`);
      kbVersion = kbVersionProps(response.headers.get('X-Lotse-KB-Version'));
      return response.json();
    })
    .then((model: unknown) => createTriage(model));
  triage.catch(() => {});
  // The site's own settings (served by the Lotse server): the `query.unanswered` opt-in (either the
  // embed's data-unanswered or this one turns it on), the NPS interval, business hours. A question
  // asked before they arrive waits for them.
  const settings: Promise<WidgetSettings> = fetch(
    `/v1/sites/${encodeURIComponent(config.site)}/widget.json`,
    { credentials: 'omit' },
  )
    .then((response) => (response.ok ? response.json() : undefined))
    .then(readWidgetSettings, () => readWidgetSettings(undefined));
  const storage = openPanelStorage();

  let client: LotseClient | undefined;
  const getClient = () => {
    client ??= createPanelClient(config);
    return client;
  };
  // Messages that arrive before the app listens (the host queues `open` until `ready`) wait here.
  let handler: ((message: HostMessage) => void) | undefined;
  const queued: HostMessage[] = [];
  const bridge = config.hostOrigin
    ? createPanelBridge(config.hostOrigin, (message) => {
        if (handler) handler(message);
        else queued.push(message);
      })
    : undefined;
  const listen = (next: (message: HostMessage) => void) => {
    handler = next;
    for (const message of queued.splice(0)) next(message);
  };

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      bridge?.post({ lotse: 1, type: 'close' });
    }
  });
  render(
    <App
      config={config}
      triage={triage}
      kbVersion={() => kbVersion}
      settings={settings}
      storage={storage}
      client={getClient}
      bridge={bridge}
      listen={listen}
    />,
    root,
  );
  bridge?.post({ lotse: 1, type: 'ready' });
}

start();
