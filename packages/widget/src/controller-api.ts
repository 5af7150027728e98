import type { ConsentState, OpenTrigger, Traits } from './bridge/messages.js';
import type { LotseEventMap } from './commands.js';
import type { ResolvedWidgetOptions } from './config.js';
import type { WidgetLocale } from './i18n/resolve-locale.js';
import type { Launcher } from './ui/create-launcher.js';

/** What the loader hands the host controller when it loads on the visitor's first intent. */
export interface ControllerContext {
  options: ResolvedWidgetOptions;
  launcher: Launcher;
  /** Traits set with `Lotse('identify', …)` before the controller loaded. */
  traits: Traits | undefined;
  emit<K extends keyof LotseEventMap>(name: K, payload: LotseEventMap[K]): void;
  /** Badges the launcher with the number of new agent replies (0 removes the badge). */
  setUnread(count: number): void;
}

/** The host controller: owns the panel frame, its position and the bridge. */
export interface Controller {
  open(trigger: OpenTrigger): void;
  close(): void;
  toggle(): void;
  ask(text: string): void;
  identify(traits: Traits): void;
  consent(state: ConsentState): void;
  setLocale(locale: WidgetLocale): void;
  destroy(): void;
}

/** Mounts the controller; loaded with `import()` on the visitor's first intent. */
export type MountController = (context: ControllerContext) => Controller;

/**
 * Asks the panel origin, in a hidden frame, how many replies are new; runs at load only for a visitor
 * who handed off before. Returns the function that stops it.
 */
export type CheckUnread = (context: ControllerContext) => () => void;

/** What the controller chunk exports. */
export interface ControllerModule {
  mountController: MountController;
  checkUnread: CheckUnread;
}
