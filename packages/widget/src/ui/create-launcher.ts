import type { LauncherPosition } from '../config.js';
import type { BrandTheme } from '../theme/contrast.js';
import { launcherCss } from './launcher-styles.js';

/** The launcher as drawn into the host page. */
export interface Launcher {
  host: HTMLElement;
  /** The wrapper inside the shadow root; the controller adds the panel frame here. */
  root: HTMLElement;
  button: HTMLButtonElement;
  setLabel(label: string): void;
  setExpanded(expanded: boolean): void;
  /** Shows `count` new replies on the launcher (0 hides it); `label` becomes the accessible name. */
  setBadge(count: number, label: string): void;
  remove(): void;
}

const svgNs = 'http://www.w3.org/2000/svg';

/**
 * Draws the launcher button in an open shadow root, styled by a constructable stylesheet only, and
 * built with DOM calls (no HTML parsing, so Trusted Types never come into play).
 */
export function createLauncher(
  label: string,
  position: LauncherPosition,
  theme: BrandTheme,
): Launcher {
  const host = document.createElement('lotse-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(launcherCss);
  shadow.adoptedStyleSheets = [sheet];

  const root = document.createElement('div');
  root.className = position === 'bottom-left' ? 'r left' : 'r';
  root.style.setProperty('--bd', theme.brand);
  root.style.setProperty('--td', theme.onBrand);

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'l';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  const icon = document.createElementNS(svgNs, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', 'M4 5h16v11H9l-5 4z');
  icon.append(path);
  const text = document.createElement('span');
  text.textContent = label;
  // The number is for the eye; the accessible name ("Hilfe, 1 neue Antwort") says it in words.
  const badge = document.createElement('span');
  badge.className = 'n';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  button.append(icon, text, badge);
  root.append(button);
  shadow.append(root);
  document.body.append(host);

  return {
    host,
    root,
    button,
    setLabel: (next) => {
      text.textContent = next;
    },
    setExpanded: (expanded) => button.setAttribute('aria-expanded', String(expanded)),
    setBadge: (count, badgeLabel) => {
      badge.hidden = !(count > 0);
      badge.textContent = count > 9 ? '9+' : String(count);
      if (count > 0) button.setAttribute('aria-label', badgeLabel);
      else button.removeAttribute('aria-label');
    },
    remove: () => host.remove(),
  };
}
