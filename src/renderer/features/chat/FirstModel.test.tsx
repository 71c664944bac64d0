import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ModelListing,
  PullProgressView,
  PullResultView,
  RecommendationView,
  Result,
} from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { connectStores } from '../../connect';
import { fakeApi, listing, okResult, resetStores } from '../../testing/fakeApi';
import { Chat } from './Chat';

afterEach(() => {
  cleanup();
  resetStores();
});

function offer(key: string, displayName: string, sizeBytes: number, fits: boolean): RecommendationView {
  return {
    key,
    displayName,
    category: 'small',
    uri: `hf:o/${key}/${key}.gguf`,
    sizeBytes,
    estimate: { ramBytes: 2 * sizeBytes, vramBytes: 0, contextLength: 4096 },
    fits,
    preferred: true,
    reason: fits ? 'fits: needs 1.6 GiB RAM; 20.1 GiB RAM free' : 'does not fit: needs 40 GiB RAM',
  };
}

const progress = (overrides: Partial<PullProgressView>): PullProgressView => ({
  key: 'llama-3.2-1b-instruct',
  phase: 'downloading',
  receivedBytes: 0,
  totalBytes: 807_694_464,
  bytesPerSecond: null,
  etaSeconds: null,
  message: null,
  ...overrides,
});

function setup() {
  let models: ModelListing[] = [];
  let finishPull: (result: Result<PullResultView>) => void = () => {};
  const fake = fakeApi({
    'models.list': () => okResult({ models }),
    'models.recommended': () =>
      okResult({
        recommendations: [
          offer('llama-3.2-1b-instruct', 'Llama 3.2 1B Instruct', 807_694_464, true),
          offer('qwen/qwen3-32b', 'Qwen3 32B', 19_762_149_888, false),
        ],
      }),
    'conversations.list': () => okResult({ conversations: [] }),
    'models.pull': () => new Promise((resolve) => (finishPull = resolve)),
    'models.pullCancel': () => okResult({ cancelled: true }),
  });
  connectStores(fake.api);
  render(
    <ApiContext.Provider value={fake.api}>
      <Chat />
    </ApiContext.Provider>,
  );
  return {
    ...fake,
    setModels: (next: ModelListing[]) => (models = next),
    finishPull: (result: Result<PullResultView>) => finishPull(result),
  };
}

describe('FirstModel: the empty state that fetches a model', () => {
  it('offers the best fitting download, shows its progress, and goes away once the model is in', async () => {
    const { invoke, emit, setModels, finishPull } = setup();
    const offerText = await screen.findByText(/No models yet — get/);
    expect(offerText.textContent).toBe('No models yet — get Llama 3.2 1B Instruct, 770.3 MiB, fits your machine.');

    fireEvent.click(screen.getByTestId('pull-llama-3.2-1b-instruct'));
    expect(invoke).toHaveBeenCalledWith('models.pull', { key: 'llama-3.2-1b-instruct' });
    act(() =>
      emit(
        'model.pullProgress',
        progress({ receivedBytes: 403_847_232, bytesPerSecond: 20 * 1024 ** 2, etaSeconds: 19.3 }),
      ),
    );
    expect(screen.getByTestId('pull-progress').textContent).toContain(
      '50% · 385.1 MiB / 770.3 MiB · 20.0 MiB/s · 20 s left',
    );

    setModels([listing('llama-3.2-1b-instruct')]);
    act(() => emit('model.pullProgress', progress({ phase: 'done', receivedBytes: 807_694_464 })));
    finishPull(
      okResult({
        key: 'llama-3.2-1b-instruct',
        path: '/m.gguf',
        sizeBytes: 807_694_464,
        sha256: 'a',
        verified: true,
        alreadyPresent: false,
        resumedFromBytes: 0,
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('first-model')).toBeNull());
  });

  it('cancels on request, says what was kept, and offers to resume', async () => {
    const { invoke, emit, finishPull } = setup();
    fireEvent.click(await screen.findByTestId('pull-llama-3.2-1b-instruct'));
    act(() => emit('model.pullProgress', progress({ receivedBytes: 1000 })));
    fireEvent.click(screen.getByTestId('pull-cancel'));
    expect(invoke).toHaveBeenCalledWith('models.pullCancel', {});
    const message = 'download cancelled; 1000 of 807694464 bytes are kept, pull again to resume';
    act(() => emit('model.pullProgress', progress({ phase: 'cancelled', receivedBytes: 1000, message })));
    finishPull({ ok: false, error: { code: 'unavailable', message } });
    expect((await screen.findByTestId('pull-ended')).textContent).toBe(message);
    expect(screen.getByTestId('pull-llama-3.2-1b-instruct').textContent).toBe('Resume Llama 3.2 1B Instruct');
  });

  it('shows a refusal before any transfer as an error', async () => {
    const { finishPull } = setup();
    fireEvent.click(await screen.findByTestId('pull-llama-3.2-1b-instruct'));
    finishPull({
      ok: false,
      error: { code: 'unavailable', message: 'not enough disk space in /home/x/.config/Mai/models' },
    });
    const refusal = await screen.findByText('not enough disk space in /home/x/.config/Mai/models');
    expect(refusal.getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('pull-progress')).toBeNull();
  });
});
