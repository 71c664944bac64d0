import { describe, expect, it, vi } from 'vitest';
import type { TrayMenuItem } from './trayMenu';
import { createTrayRefresher } from './trayRefresher';

const menu = (summary: string): TrayMenuItem[] => [{ type: 'normal', label: summary, enabled: false }];

describe('createTrayRefresher', () => {
  it('rebuilds the native menu only when what it says changed', () => {
    const target = { setMenu: vi.fn(), setToolTip: vi.fn() };
    const refresh = createTrayRefresher(target);
    expect(refresh(menu('CPU 20%'), 'Mai')).toBe(true);
    expect(refresh(menu('CPU 20%'), 'Mai')).toBe(false);
    expect(refresh(menu('CPU 21%'), 'Mai')).toBe(true);
    expect(target.setMenu).toHaveBeenCalledTimes(2);
    expect(target.setToolTip).toHaveBeenCalledTimes(1);
  });
});
