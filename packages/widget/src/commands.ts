import type { EventPropsMap, EventType } from '@lotse/sdk';
import type { ConsentState, Traits } from './bridge/messages.js';
import type { WidgetLocale } from './i18n/resolve-locale.js';

/** The props of each analytics event as the panel forwards them (free text such as `text` stays inside). */
export type AnalyticsEventMap = { [T in EventType]: Omit<EventPropsMap[T], 'text'> };

/**
 * What a site can listen to with `Lotse('on', name, callback)`: the widget's own `open` and `close`,
 * every analytics event at once as `event`, and each analytics event by its dotted name.
 */
export interface LotseEventMap extends AnalyticsEventMap {
  /** The panel opened. */
  open: { trigger: 'launcher' | 'api' };
  /** The panel closed. */
  close: Record<string, never>;
  /** Every analytics event the panel reports (`widget.opened`, `answer.rated`, …). */
  event: { name: EventType; props: Record<string, unknown> };
}

/** The commands of `window.Lotse(cmd, ...args)` and their arguments. */
export interface LotseCommands {
  open: [];
  close: [];
  ask: [text: string];
  identify: [traits: Traits];
  /** Signs the visitor out: the panel forgets the conversations it keeps for them. */
  signOut: [];
  consent: [state: ConsentState];
  setLocale: [locale: WidgetLocale];
  on: [name: keyof LotseEventMap, callback: (payload: LotseEventMap[keyof LotseEventMap]) => void];
  unmount: [];
}

/** `window.Lotse`: one function taking a command name and its arguments. */
export interface LotseFunction {
  /** Calls `callback` for each `name` event; returns the function that stops listening. */
  <K extends keyof LotseEventMap>(
    command: 'on',
    name: K,
    callback: (payload: LotseEventMap[K]) => void,
  ): () => void;
  <C extends Exclude<keyof LotseCommands, 'on'>>(command: C, ...args: LotseCommands[C]): undefined;
}
