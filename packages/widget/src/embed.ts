// The script-tag entry (`lotse.js`): reads data-*, installs window.Lotse, draws the launcher, and loads
// the host controller on the visitor's first intent. It is the one file with effects on load; every
// effect is undone by `Lotse('unmount')`. It never throws into the host page.
import { identifyTraits } from './bridge/merge-traits.js';
import type { ConsentState, OpenTrigger, Traits } from './bridge/messages.js';
import type { LotseCommands, LotseEventMap } from './commands.js';
import { isConsentState, resolveWidgetOptions } from './config.js';
import type { Controller, ControllerContext, ControllerModule } from './controller-api.js';
import { hasFollowUp } from './follow-up/follow-up-flag.js';
import { unreadLabel } from './follow-up/unread-label.js';
import { hostMessages } from './i18n/host-messages.js';
import { isWidgetLocale } from './i18n/resolve-locale.js';
import { createLauncher } from './ui/create-launcher.js';

// File name of the hashed controller chunk, set by the build (vite.embed.config.ts).
declare const __LOTSE_CONTROLLER__: string;

type Listener = (payload: unknown) => void;
type LotseGlobal = ((command: string, ...args: unknown[]) => unknown) & {
  q?: ArrayLike<unknown>[];
  loaded?: boolean;
};

function boot(script: HTMLScriptElement): void {
  const data = script.dataset;
  const options = resolveWidgetOptions(
    {
      site: data.site,
      endpoint: data.endpoint,
      locale: data.locale,
      position: data.position,
      color: data.color,
      consent: data.consent,
      unanswered: data.unanswered,
      npsIntervalDays: data.npsIntervalDays,
    },
    script.src,
    [document.documentElement.lang, ...(navigator.languages ?? [navigator.language])],
    // A mistake in the embed is the site developer's to see; without a site key or a usable
    // endpoint nothing is drawn (a launcher would open a broken frame).
    (message, fatal) => console[fatal ? 'error' : 'warn'](message),
  );
  if (!options) return;
  const { site } = options;
  const launcher = createLauncher(
    hostMessages[options.locale].launcher,
    options.position,
    options.theme,
  );
  const listeners = new Map<string, Set<Listener>>();
  let traits: Traits | undefined;
  let controller: Controller | undefined;
  let loading: Promise<Controller | undefined> | undefined;
  let unmounted = false;
  let unread = 0;
  let stopCheck: (() => void) | undefined;
  const setUnread = (count: number) => {
    unread = count;
    launcher.setBadge(count, unreadLabel(options.locale, count));
  };

  const emit = (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload);
      } catch {
        // A site's listener must not break the widget.
      }
    }
  };
  const context: ControllerContext = {
    options,
    launcher,
    get traits() {
      return traits;
    },
    emit,
    setUnread,
  };
  let chunk: Promise<ControllerModule> | undefined;
  const importController = () => {
    chunk ??= import(/* @vite-ignore */ new URL(__LOTSE_CONTROLLER__, script.src).href);
    chunk.catch(() => {
      chunk = undefined;
    });
    return chunk;
  };
  const load = (): Promise<Controller | undefined> => {
    loading ??= importController()
      .then((module) => {
        if (unmounted) return undefined;
        controller = module.mountController(context);
        return controller;
      })
      .catch(() => {
        // A failed download (offline, a blocked request) is retried on the next intent.
        loading = undefined;
        return undefined;
      });
    return loading;
  };
  // Commands wait for the controller; one queued just before `unmount` must not reach it.
  const withController = (run: (c: Controller) => void) => {
    load()
      .then((c) => c && !unmounted && run(c))
      .catch(() => {});
  };

  const onIntent = () => {
    load();
  };
  const onClick = () => withController((c) => c.toggle());
  const { button } = launcher;
  button.addEventListener('pointerenter', onIntent);
  button.addEventListener('focus', onIntent);
  button.addEventListener('click', onClick);

  const commands: { [C in keyof LotseCommands]: (...args: LotseCommands[C]) => unknown } = {
    open: () => withController((c) => c.open('api' satisfies OpenTrigger)),
    close: () => controller?.close(),
    ask: (text) => {
      if (typeof text === 'string' && text.trim()) withController((c) => c.ask(text));
    },
    identify: (next) => {
      if (typeof next !== 'object' || next === null) return;
      traits = identifyTraits(traits, next, (message) => console.warn(message));
      if (traits) controller?.identify(traits);
      else commands.signOut();
    },
    signOut: () => {
      traits = undefined;
      // The panel forgets the user's conversations; it is loaded for that only where it keeps some.
      if (controller || hasFollowUp(site)) withController((c) => c.identify({}));
    },
    consent: (state: ConsentState) => {
      if (!isConsentState(state)) return;
      options.consent = state;
      controller?.consent(state);
    },
    setLocale: (locale) => {
      if (!isWidgetLocale(locale)) return;
      options.locale = locale;
      launcher.setLabel(hostMessages[locale].launcher);
      setUnread(unread);
      controller?.setLocale(locale);
    },
    on: (name, callback) => {
      if (typeof callback !== 'function') return () => {};
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(callback as Listener);
      return () => set.delete(callback as Listener);
    },
    unmount: () => {
      unmounted = true;
      stopCheck?.();
      controller?.destroy();
      button.removeEventListener('click', onClick);
      button.removeEventListener('focus', onIntent);
      button.removeEventListener('pointerenter', onIntent);
      launcher.remove();
      listeners.clear();
      delete (window as { Lotse?: unknown }).Lotse;
    },
  };

  const lotse: LotseGlobal = (command, ...args) => {
    try {
      const run = commands[command as keyof LotseCommands] as
        | ((...a: unknown[]) => unknown)
        | undefined;
      return run?.(...args);
    } catch {
      return undefined;
    }
  };
  // Only a visitor who handed off here before (a flag, no token) gets a request before interacting:
  // the badge for replies that arrived since.
  if (hasFollowUp(site)) {
    importController()
      .then((m) => {
        if (!unmounted) stopCheck = m.checkUnread(context);
      })
      .catch(() => {});
  }
  lotse.loaded = true;
  const queued = (window as { Lotse?: LotseGlobal }).Lotse?.q ?? [];
  (window as { Lotse?: LotseGlobal }).Lotse = lotse;
  for (const call of Array.from(queued)) {
    const [command, ...args] = Array.from(call);
    lotse(String(command), ...args);
  }
}

/** The events `Lotse('on', …)` accepts, re-exported for typings. */
export type { LotseEventMap };

try {
  const win = window as { Lotse?: LotseGlobal };
  const script = document.currentScript;
  if (!win.Lotse?.loaded && script instanceof HTMLScriptElement) {
    if (document.body) boot(script);
    else
      document.addEventListener(
        'DOMContentLoaded',
        () => {
          try {
            boot(script);
          } catch {
            // As above.
          }
        },
        { once: true },
      );
  }
} catch {
  // Nothing the loader does may break the host page.
}
