import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from './trayMenu';

/** Turns the pure menu into Electron's template; clicks go to one dispatcher. */
export function toElectronMenu(
  items: TrayMenuItem[],
  dispatch: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, enabled: item.enabled, submenu: toElectronMenu(item.submenu, dispatch) };
      case 'radio':
      case 'checkbox': {
        const action = item.action;
        return {
          type: item.type,
          label: item.label,
          enabled: item.enabled,
          checked: item.checked,
          click: () => dispatch(action),
        };
      }
      default: {
        const action = item.action;
        return { label: item.label, enabled: item.enabled, click: action ? () => dispatch(action) : undefined };
      }
    }
  });
}
