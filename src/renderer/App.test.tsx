import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { fakeApi, listing, okResult, resetStores } from './testing/fakeApi';

afterEach(() => {
  cleanup();
  resetStores();
  window.location.hash = '';
});

describe('App', () => {
  it('opens on the dashboard and switches tabs, keeping the token in the hash', async () => {
    window.location.hash = '#token=secret';
    const { api } = fakeApi({
      'models.list': () => okResult({ models: [listing('stories260K')] }),
      'conversations.list': () => okResult({ conversations: [] }),
    });
    render(<App api={api} />);
    expect(screen.getByTestId('tab-dashboard').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText('Waiting for the first sample…')).toBeTruthy();
    fireEvent.click(screen.getByTestId('tab-chat'));
    expect(screen.getByRole('region', { name: 'Chat' })).toBeTruthy();
    const params = new URLSearchParams(window.location.hash.slice(1));
    expect([params.get('token'), params.get('view')]).toEqual(['secret', 'chat']);
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('connected'));
  });

  it('opens on the chat when the window was made for it', () => {
    window.location.hash = '#view=chat';
    render(<App api={fakeApi().api} />);
    expect(screen.getByTestId('tab-chat').getAttribute('aria-selected')).toBe('true');
  });
});
