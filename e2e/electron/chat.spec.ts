import { expect, test } from '@playwright/test';
import { launchMai, modelsSkipReason, skipReason } from './launch';

test.describe('Electron app: chat', () => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.skip(modelsSkipReason !== null, modelsSkipReason ?? '');

  test('a message gets a stories260K answer with its badge, streamed over IPC', async () => {
    const mai = await launchMai();
    try {
      const window = await mai.app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await window.getByTestId('tab-dashboard').click();
      await window.getByTestId('pin-stories260K').click();
      await expect(window.getByTestId('model-mode')).toHaveText('pinned');
      await window.getByTestId('tab-chat').click();
      await window.getByTestId('chat-input').fill('Once upon a time');
      await window.getByTestId('chat-send').click();
      const answer = window.getByTestId('message-assistant').last();
      await expect(answer.getByTestId('model-badge')).toHaveText('stories260K', { timeout: 45_000 });
      await expect(answer.locator('.message-text')).toHaveText(/[a-z]+ [a-z]+/i);
    } finally {
      await mai.close();
    }
  });
});
