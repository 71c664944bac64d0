import { expect, test as base } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { startMaiServe, type ServedMai } from '../support/maiServe';

const test = base.extend<object, { mai: ServedMai }>({
  mai: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const mai = await startMaiServe();
      await use(mai);
      await mai.stop();
    },
    { scope: 'worker' },
  ],
});

function memTotalBytesFromKernel(): number {
  const match = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  if (!match?.[1]) throw new Error('no MemTotal in /proc/meminfo');
  return Number(match[1]) * 1024;
}

test('the dashboard shows the machine’s real total memory, equal to status.get', async ({ page, mai, request }) => {
  const response = await request.get(`${mai.origin}/api/status`, { headers: { authorization: `Bearer ${mai.token}` } });
  expect(response.status()).toBe(200);
  const status = await response.json();
  expect(status.ok).toBe(true);
  const totalBytes: number = status.value.resources.memory.totalBytes;
  if (process.platform === 'linux') expect(totalBytes).toBe(memTotalBytesFromKernel());

  await page.goto(mai.url);
  await expect(page.getByTestId('connection')).toHaveText('connected');
  const shown = page.getByTestId('memory-total');
  await expect(shown).toHaveAttribute('data-bytes', String(totalBytes));
  await expect(shown).toHaveText(`${(totalBytes / 1024 ** 3).toFixed(1)} GiB`);
  await expect(page.getByText(`v${status.value.app.version}`)).toBeVisible();
  // The tier Mai put this machine in, with its reasons on hover.
  await expect(page.getByTestId('tier')).toHaveText(status.value.tier.name);
  await expect(page.getByTestId('tier')).toHaveAttribute('title', status.value.tier.reasons.join('\n'));
});

test('live samples keep arriving over the WebSocket', async ({ page, mai }, testInfo) => {
  await page.goto(mai.url);
  const dashboard = page.getByRole('region', { name: 'Resources' });
  await expect(dashboard).toHaveAttribute('data-sample-at', /\d+/);
  const first = Number(await dashboard.getAttribute('data-sample-at'));
  await expect
    .poll(async () => Number(await dashboard.getAttribute('data-sample-at')), { timeout: 5000 })
    .toBeGreaterThan(first);
  const cpu = Number((await page.getByTestId('gauge-cpu-percent').textContent())?.replace('%', ''));
  expect(cpu).toBeGreaterThanOrEqual(0);
  expect(cpu).toBeLessThanOrEqual(100);
  // Kept as a test artifact: how the dashboard looks to a person.
  const screenshotPath = testInfo.outputPath('dashboard.png');
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach('dashboard', { path: screenshotPath, contentType: 'image/png' });
});

test('the page without its token cannot reach the brain', async ({ page, mai }) => {
  await page.goto(`${mai.origin}/`);
  await expect(page.getByTestId('problem')).toContainText('no access token');
  await expect(page.getByTestId('connection')).toHaveText('connecting…');
  await expect(page.getByTestId('memory-total')).toHaveCount(0);
});

test('API calls and WebSockets without the token, or from a foreign origin, are refused', async ({ request, mai }) => {
  expect((await request.get(`${mai.origin}/api/status`)).status()).toBe(401);
  expect(
    (await request.get(`${mai.origin}/api/status`, { headers: { authorization: 'Bearer wrong-token' } })).status(),
  ).toBe(401);
  expect(
    (
      await request.get(`${mai.origin}/api/status`, {
        headers: { authorization: `Bearer ${mai.token}`, origin: 'http://evil.example' },
      })
    ).status(),
  ).toBe(401);

  const wsUrl = `${mai.origin.replace('http', 'ws')}/ws`;
  const outcome = (url: string, headers: Record<string, string> = {}) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
  expect(await outcome(wsUrl)).toBe('401');
  expect(await outcome(`${wsUrl}?token=wrong`)).toBe('401');
  expect(await outcome(`${wsUrl}?token=${mai.token}`, { origin: 'http://evil.example' })).toBe('401');
  expect(await outcome(`${wsUrl}?token=${mai.token}`, { origin: mai.origin })).toBe('open');
});
