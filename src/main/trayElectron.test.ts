import { describe, expect, it, vi } from 'vitest';
import { toElectronMenu } from './trayElectron';
import type { TrayMenuItem } from './trayMenu';

describe('toElectronMenu', () => {
  it('keeps radio state and submenus, and sends each click to the dispatcher', () => {
    const dispatch = vi.fn();
    const items: TrayMenuItem[] = [
      { type: 'normal', label: 'Mai — a (auto)', enabled: false },
      { type: 'separator' },
      {
        type: 'submenu',
        label: 'Models',
        enabled: true,
        submenu: [
          { type: 'radio', label: 'Automatic', enabled: true, checked: true, action: { kind: 'switch', key: 'auto' } },
          { type: 'radio', label: '✓ a', enabled: true, checked: false, action: { kind: 'switch', key: 'a' } },
        ],
      },
      { type: 'normal', label: 'Quit Mai', enabled: true, action: { kind: 'quit' } },
    ];
    const template = toElectronMenu(items, dispatch);
    expect(template[0]).toMatchObject({ label: 'Mai — a (auto)', enabled: false, click: undefined });
    expect(template[1]).toEqual({ type: 'separator' });
    const submenu = template[2]?.submenu as { type?: string; checked?: boolean; click?: () => void }[];
    expect(submenu.map((i) => [i.type, i.checked])).toEqual([
      ['radio', true],
      ['radio', false],
    ]);
    submenu[1]?.click?.();
    (template[3]?.click as () => void)();
    expect(dispatch.mock.calls).toEqual([[{ kind: 'switch', key: 'a' }], [{ kind: 'quit' }]]);
  });
});
