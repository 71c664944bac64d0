import type { TrayMenuItem } from './trayMenu';

export interface TrayTarget {
  setMenu(items: TrayMenuItem[]): void;
  setToolTip(text: string): void;
}

/**
 * Rebuilding a native menu costs far more than building the plain items, and samples arrive every second: hand the
 * tray a new menu (or tooltip) only when what a person would read has changed.
 */
export function createTrayRefresher(target: TrayTarget): (items: TrayMenuItem[], tooltip: string) => boolean {
  let lastMenu = '';
  let lastTooltip = '';
  return (items, tooltip) => {
    const menu = JSON.stringify(items);
    const changed = menu !== lastMenu;
    if (changed) {
      lastMenu = menu;
      target.setMenu(items);
    }
    if (tooltip !== lastTooltip) {
      lastTooltip = tooltip;
      target.setToolTip(tooltip);
    }
    return changed;
  };
}
