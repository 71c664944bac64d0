import { expect, test } from '@playwright/test';
import {
  clickTray,
  launchMai,
  modelsRadios,
  modelsSkipReason,
  skipReason,
  trayMenu,
  trayPressure,
  type Invoke,
} from './launch';

test.describe('Electron app: tray', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  test('builds the tray menu; Start at login is there, off; the icon shows the machine’s state', async () => {
    const mai = await launchMai();
    try {
      await mai.app.firstWindow();
      await expect.poll(async () => (await trayMenu(mai.app))[0]?.type).toBe('normal');
      const menu = await trayMenu(mai.app);
      const labels = menu.flatMap((item) => (item.type === 'separator' ? [] : [item.label]));
      expect(labels[0]).toMatch(/^Mai /);
      expect(labels[1]).toMatch(/^CPU \d+% · RAM [\d.]+\/[\d.]+ GB|^Measuring…$/);
      expect(labels.slice(2)).toEqual([
        'Models',
        'Pause automatic switching',
        'Open chat',
        'Dashboard',
        'Start at login',
        'Quit Mai',
      ]);
      // A checkout's Electron must not be registered to start at login: greyed out, and off.
      expect(menu.find((i) => i.type === 'checkbox' && i.label === 'Start at login')).toMatchObject({
        checked: false,
        enabled: false,
      });
      expect(['calm', 'strained', 'over']).toContain(await trayPressure(mai.app));
    } finally {
      await mai.close();
    }
  });

  test('a switch through IPC shows in the tray and the window; the tray switches back', async () => {
    test.skip(modelsSkipReason !== null, modelsSkipReason ?? '');
    const mai = await launchMai();
    try {
      const window = await mai.app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await expect.poll(async () => modelsRadios(await trayMenu(mai.app)).length).toBeGreaterThan(2);
      expect(modelsRadios(await trayMenu(mai.app))[0]).toEqual({ label: 'Automatic', checked: true });

      const switched = await window.evaluate(() =>
        (window as unknown as Invoke).mai.invoke('models.switch', { key: 'stories260K' }),
      );
      expect(switched).toMatchObject({ ok: true, value: { mode: 'pinned' } });
      await expect
        .poll(async () => modelsRadios(await trayMenu(mai.app)).find((r) => r.checked)?.label)
        .toBe('✓ stories260K');
      await window.getByTestId('tab-dashboard').click();
      await expect(window.getByTestId('model-mode')).toHaveText('pinned');

      await clickTray(mai.app, { kind: 'switch', key: 'auto' });
      await expect(window.getByTestId('model-mode')).toHaveText('automatic');
    } finally {
      await mai.close();
    }
  });
});
