import { expect, test } from '@playwright/test';
import { launchMai, skipReason, type Invoke } from './launch';

test.describe('Electron app: window and IPC', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  test('opens its window with live figures over IPC, locked down', async () => {
    const mai = await launchMai();
    try {
      const window = await mai.app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await window.getByTestId('tab-dashboard').click();
      await expect(window.getByTestId('memory-total')).toHaveAttribute('data-bytes', /^\d+$/);
      // The page must not see Node or Electron: only window.mai with invoke and on.
      const exposed = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        mai: Object.keys((window as unknown as { mai: object }).mai).sort(),
      }));
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', mai: ['invoke', 'on'] });
      const status = await window.evaluate(() => (window as unknown as Invoke).mai.invoke('status.get', {}));
      expect(status).toMatchObject({ ok: true, value: { app: { name: 'Mai' } } });
      const rejected = await window.evaluate(() =>
        (window as unknown as Invoke).mai.invoke('status.get', { unexpected: 1 }),
      );
      expect(rejected).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      await mai.close();
    }
  });

  test('the dashboard keeps updating after tab switches (same-document navigations keep the IPC feed)', async () => {
    const mai = await launchMai();
    try {
      const window = await mai.app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await window.getByTestId('tab-dashboard').click();
      await window.getByTestId('tab-chat').click();
      await window.getByTestId('tab-dashboard').click();
      const resources = window.getByRole('region', { name: 'Resources' });
      await expect(resources).toHaveAttribute('data-sample-at', /^\d+$/);
      const before = Number(await resources.getAttribute('data-sample-at'));
      await expect
        .poll(async () => Number(await resources.getAttribute('data-sample-at')), { timeout: 10_000 })
        .toBeGreaterThan(before);
      // One of the shipped tiers (config/resource_tiers.yaml), as the brain classified this machine.
      await expect(window.getByTestId('tier')).toHaveText(/^(low_end|mid_range|high_end)\b/);
    } finally {
      await mai.close();
    }
  });
});
