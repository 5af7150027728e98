// The part of `window.Lotse` (installed by lotse.js) this app calls; the widget's README lists all.
interface Window {
  Lotse(command: 'open' | 'close'): void;
  Lotse(command: 'ask', text: string): void;
  Lotse(command: 'identify', traits: { userId: string; signature: string }): void;
  Lotse(
    command: 'on',
    name: string,
    callback: (
      payload: { name?: string; props?: Record<string, unknown> } & Record<string, unknown>,
    ) => void,
  ): (() => void) | undefined;
}
