import type { ConsentState, Traits } from './bridge/messages.js';
import type { WidgetLocale } from './i18n/resolve-locale.js';

/** Widget-level happenings a site can listen to with `Lotse('on', name, callback)`. */
export interface LotseEventMap {
  /** The panel opened. */
  open: { trigger: 'launcher' | 'api' };
  /** The panel closed. */
  close: Record<string, never>;
  /** Every analytics event the panel reports (`widget.opened`, `answer.rated`, …). */
  event: { name: string; props: Record<string, unknown> };
}

/** The commands of `window.Lotse(cmd, ...args)` and their arguments. */
export interface LotseCommands {
  open: [];
  close: [];
  ask: [text: string];
  identify: [traits: Traits];
  consent: [state: ConsentState];
  setLocale: [locale: WidgetLocale];
  on: [name: keyof LotseEventMap, callback: (payload: LotseEventMap[keyof LotseEventMap]) => void];
  unmount: [];
}

/** `window.Lotse`: one function taking a command name and its arguments. */
export type LotseFunction = <C extends keyof LotseCommands>(
  command: C,
  ...args: LotseCommands[C]
) => C extends 'on' ? () => void : undefined;
