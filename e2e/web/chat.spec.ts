import { expect, test as base, type Page, type TestInfo } from '@playwright/test';
import path from 'node:path';
import { startMaiServe, type ServedMai } from '../support/maiServe';

/** The two real tiny GGUF models beside the repository (see ../shared/models/README.md). */
const modelsDir = path.resolve(import.meta.dirname, '../../../shared/models');

const test = base.extend<object, { mai: ServedMai }>({
  mai: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const mai = await startMaiServe({ MAI_MODELS_DIR: modelsDir });
      await use(mai);
      await mai.stop();
    },
    { scope: 'worker' },
  ],
});

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Pins a model from the dashboard's models table and waits until Mai says it is the one. */
async function pinFromTable(page: Page, key: string): Promise<void> {
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId(`pin-${key}`).click();
  await expect(page.getByTestId(`pin-${key}`)).toHaveText('Pinned', { timeout: 30_000 });
  await expect(page.getByTestId('model-mode')).toHaveText('pinned');
}

/** Sends one message and returns the text of the answer Mai wrote for it. */
async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('tab-chat').click();
  const answersBefore = await page.getByTestId('message-assistant').count();
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('message-assistant')).toHaveCount(answersBefore + 1, { timeout: 45_000 });
}

test('a message gets a streamed stories260K answer with its model badge; switching changes the next badge', async ({
  page,
  mai,
}, testInfo) => {
  const fragments: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type?: string; name?: string; payload?: { text?: string } };
      if (frame.type === 'event' && frame.name === 'chat.fragment') fragments.push(frame.payload?.text ?? '');
    }),
  );
  await page.goto(mai.url);
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await expect(page.getByTestId('model-row-stories260K')).toContainText('fits');

  await pinFromTable(page, 'stories260K');
  await send(page, 'Once upon a time');
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer.getByTestId('model-badge')).toHaveText('stories260K');
  const answerText = (await answer.locator('.message-text').textContent()) ?? '';
  // stories260K writes simple English: letters and spaces, at least a few words.
  expect(answerText.trim().split(/\s+/).length).toBeGreaterThan(2);
  expect(answerText).toMatch(/[a-z]+ [a-z]+/i);
  // It came as a stream: the answer is what the fragments said, in pieces (shown as markdown: paragraphs are
  // elements, so the line breaks between them are not the text's own).
  expect(fragments.length).toBeGreaterThan(1);
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();
  expect(words(fragments.join(''))).toBe(words(answerText));
  // The pin shows in the conversation as a quiet marker, not as a message.
  await expect(page.getByTestId('switch-marker').first()).toContainText('stories260K');
  await keepScreenshot(page, testInfo, 'chat');

  await pinFromTable(page, 'llama-2-tiny-random');
  await send(page, 'And then?');
  await expect(page.getByTestId('message-assistant').last().getByTestId('model-badge')).toHaveText(
    'llama-2-tiny-random',
  );
  await expect(page.getByTestId('message-assistant').first().getByTestId('model-badge')).toHaveText('stories260K');

  // Back to Mai's own choice.
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('model-auto').click();
  await expect(page.getByTestId('model-mode')).toHaveText('automatic');
  await expect(page.getByTestId('decision').first()).toBeVisible();
});

test('the sparklines grow with each sample and the dashboard shows the models table', async ({
  page,
  mai,
}, testInfo) => {
  await page.goto(mai.url);
  const sparkline = page.getByTestId('gauge-cpu-sparkline');
  await expect(sparkline).toHaveAttribute('data-points', /\d+/);
  const before = Number(await sparkline.getAttribute('data-points'));
  await expect
    .poll(async () => Number(await sparkline.getAttribute('data-points')), { timeout: 5000 })
    .toBeGreaterThan(before);
  await expect(page.getByTestId('gauge-ram-sparkline')).toHaveAttribute('data-points', /[1-9]\d*/);
  await expect(page.getByTestId('fit-stories260K')).toHaveText('✓ fits');
  await expect(page.getByTestId('fit-llama-2-tiny-random')).toHaveText('✓ fits');
  // 1 Hz updates move nothing: the models panel stays where it was across samples.
  const models = page.getByRole('region', { name: 'Models' });
  const dashboard = page.getByRole('region', { name: 'Resources' });
  const boxBefore = await models.boundingBox();
  const sampleBefore = Number(await dashboard.getAttribute('data-sample-at'));
  await expect
    .poll(async () => Number(await dashboard.getAttribute('data-sample-at')), { timeout: 5000 })
    .toBeGreaterThan(sampleBefore);
  expect(await models.boundingBox()).toEqual(boxBefore);
  await keepScreenshot(page, testInfo, 'dashboard-with-models');
  // The OS's dark mode is followed: the page turns dark (its background's luminance), and back.
  // Evaluated in the page (a string: this file is typed without the DOM): the root's background, or the body's
  // where the root's is transparent, as a luminance from 0 (black) to 1 (white).
  const luminance = () =>
    page.evaluate<number>(`(() => {
      const painted = [document.documentElement, document.body]
        .map((element) => getComputedStyle(element).backgroundColor)
        .find((color) => color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent');
      const [r = 0, g = 0, b = 0] = (painted?.match(/\\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    })()`);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await luminance()).toBeGreaterThan(0.7);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await luminance()).toBeLessThan(0.3);
  await keepScreenshot(page, testInfo, 'dashboard-dark');
  await page.getByTestId('tab-chat').click();
  await keepScreenshot(page, testInfo, 'chat-dark');
});

test('conversations: a new one starts empty and the earlier one can be opened again', async ({ page, mai }) => {
  await page.goto(mai.url);
  await page.getByTestId('tab-chat').click();
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await send(page, 'Hello there');
  await expect(page.getByTestId('message-user').locator('.message-text')).toHaveText('Hello there');
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('button', { name: /2 messages/ })
    .first()
    .click();
  await expect(page.getByTestId('message-user').locator('.message-text')).toHaveText('Hello there');
});
