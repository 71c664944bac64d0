import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelState, Status } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { useModels } from '../../state/modelsStore';
import { useResources } from '../../store';
import { fakeApi, listing, okResult, resetStores } from '../../testing/fakeApi';
import { CurrentModel } from './CurrentModel';
import { ModelsTable } from './ModelsTable';

afterEach(() => {
  cleanup();
  resetStores();
});

const autoState: ModelState = { current: null, mode: 'auto', pinnedKey: null, reason: 'nothing loaded yet' };
const pinnedState: ModelState = {
  current: { key: 'stories260K', backend: 'embedded', contextLength: 2048 },
  mode: 'pinned',
  pinnedKey: 'stories260K',
  reason: 'you chose it',
};
const models = [
  listing('stories260K'),
  listing('big-model', { fits: false, reason: 'needs 12 GiB, 4 GiB free' }),
  listing('broken', { usable: false, estimate: null, reason: 'not a GGUF file' }),
];

function renderTable(onSwitch: ModelState = pinnedState) {
  const fake = fakeApi({
    'models.switch': () => okResult(onSwitch),
    'models.list': () => okResult({ models }),
    'status.get': () => ({ ok: false, error: { code: 'unavailable', message: 'not in this test' } }),
  });
  useResources.setState({ status: { model: autoState } as Status });
  useModels.getState().setModels(models);
  render(
    <ApiContext.Provider value={fake.api}>
      <CurrentModel />
      <ModelsTable />
    </ApiContext.Provider>,
  );
  return fake;
}

describe('ModelsTable', () => {
  it('marks each model’s fit with its reason', () => {
    renderTable();
    expect(screen.getByTestId('fit-stories260K').textContent).toBe('✓ fits');
    expect(screen.getByTestId('fit-big-model').textContent).toBe('! does not fit');
    expect(screen.getByTestId('fit-big-model').getAttribute('title')).toBe('needs 12 GiB, 4 GiB free');
    expect(screen.getByTestId('fit-broken').textContent).toBe('✕ unusable');
    expect((screen.getByTestId('pin-broken') as HTMLButtonElement).disabled).toBe(true);
  });

  it('pins a model through models.switch and shows the new state', async () => {
    const { invoke } = renderTable();
    expect((screen.getByTestId('model-auto') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('pin-stories260K'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('models.switch', { key: 'stories260K' }));
    await waitFor(() => expect(screen.getByTestId('pin-stories260K').textContent).toBe('Pinned'));
    expect(screen.getByTestId('model-mode').textContent).toBe('pinned');
    expect(screen.getByTestId('current-model').textContent).toBe('stories260K');
  });

  it('hands the choice back to Mai with Automatic', async () => {
    const { invoke } = renderTable(autoState);
    act(() => useResources.setState({ status: { model: pinnedState } as Status }));
    fireEvent.click(screen.getByTestId('model-auto'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('models.switch', { key: 'auto' }));
    await waitFor(() => expect(screen.getByTestId('model-mode').textContent).toBe('automatic'));
  });

  it('shows a model’s load progress', () => {
    renderTable();
    act(() => useModels.getState().setLoading({ key: 'stories260K', fraction: 0.4 }));
    expect(screen.getByTestId('load-progress').getAttribute('value')).toBe('0.4');
  });

  it('says where Mai looks when it found no models', () => {
    renderTable();
    act(() => useModels.getState().setModels([]));
    expect(screen.getByTestId('no-models').textContent).toContain('MAI_MODELS_DIR');
  });
});
