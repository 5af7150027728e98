// The only module that calls Floating UI: it places the panel frame next to the launcher.
import {
  autoUpdate,
  computePosition,
  flip,
  type Middleware,
  offset,
  shift,
  size,
} from '@floating-ui/dom';

/** Options for placing the panel. */
export interface PlacePanelOptions {
  /** Launcher corner, so the panel opens above it on the same side. */
  side: 'left' | 'right';
  /** Called with `true` when the viewport is narrow and the panel should fill the screen. */
  onFullScreen(full: boolean): void;
  /** Elements that belong to the widget; focus on them is not "the host's focused element". */
  owns(element: Element): boolean;
}

// Below this width a floating panel leaves no room for the page, so the panel fills the screen
// (the usual phone breakpoint; Intercom and Zendesk switch at about the same width).
const narrowQuery = '(max-width: 640px)';
// Gap between panel, launcher and viewport edges, in CSS px.
const gap = 12;
const edge = 8;

type Rect = { x: number; y: number; width: number; height: number };
const overlaps = (a: Rect, b: DOMRect) =>
  a.x < b.right && a.x + a.width > b.left && a.y < b.bottom && a.y + a.height > b.top;

/** Moves the panel off the host page's focused element when it would cover it. */
function avoidFocused(owns: (element: Element) => boolean): Middleware {
  return {
    name: 'avoidFocused',
    fn({ x, y, rects }) {
      const focused = document.activeElement;
      if (!focused || focused === document.body || owns(focused)) return {};
      const target = focused.getBoundingClientRect();
      const { width, height } = rects.floating;
      if (!overlaps({ x, y, width, height }, target)) return {};
      const viewWidth = document.documentElement.clientWidth;
      const viewHeight = document.documentElement.clientHeight;
      const candidates: [number, number][] = [
        [edge, y],
        [viewWidth - width - edge, y],
        [x, target.top - height - gap],
        [x, target.bottom + gap],
        [edge, target.bottom + gap],
        [viewWidth - width - edge, target.top - height - gap],
      ];
      for (const [cx, cy] of candidates) {
        const inside = cx >= 0 && cy >= 0 && cx + width <= viewWidth && cy + height <= viewHeight;
        if (inside && !overlaps({ x: cx, y: cy, width, height }, target)) return { x: cx, y: cy };
      }
      return {};
    },
  };
}

/**
 * Keeps `panel` placed above `launcher` (flipping, shifting and shrinking to fit, never over the
 * host's focused element), or full screen on narrow viewports, until the returned stop function runs.
 */
export function placePanel(
  launcher: HTMLElement,
  panel: HTMLElement,
  options: PlacePanelOptions,
): () => void {
  const narrow = window.matchMedia(narrowQuery);
  const update = () => {
    try {
      place();
    } catch {
      // Positioning never throws into the host page; the frame keeps its last place.
    }
  };
  const place = () => {
    options.onFullScreen(narrow.matches);
    if (narrow.matches) return;
    computePosition(launcher, panel, {
      strategy: 'fixed',
      placement: options.side === 'left' ? 'top-start' : 'top-end',
      middleware: [
        offset(gap),
        flip({ padding: edge }),
        shift({ padding: edge }),
        size({
          padding: edge,
          apply({ availableWidth, availableHeight, elements }) {
            elements.floating.style.maxWidth = `${Math.max(280, availableWidth)}px`;
            elements.floating.style.maxHeight = `${Math.max(320, availableHeight)}px`;
          },
        }),
        avoidFocused(options.owns),
      ],
    }).then(
      ({ x, y }) => {
        panel.style.left = `${x}px`;
        panel.style.top = `${y}px`;
      },
      () => {},
    );
  };
  const stopAuto = autoUpdate(launcher, panel, update);
  narrow.addEventListener('change', update);
  document.addEventListener('focusin', update);
  return () => {
    stopAuto();
    narrow.removeEventListener('change', update);
    document.removeEventListener('focusin', update);
  };
}
