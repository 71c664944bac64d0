import { useEffect } from 'react';
import type { MaiApi } from './api';
import { ApiContext } from './apiContext';
import { connectStores } from './connect';
import { Chat } from './features/chat/Chat';
import { Dashboard } from './features/dashboard/Dashboard';
import { useView, type View } from './useView';
import { useResources } from './store';

const tabs: { view: View; label: string }[] = [
  { view: 'chat', label: 'Chat' },
  { view: 'dashboard', label: 'Dashboard' },
];

function ConfigErrors() {
  const errors = useResources((s) => s.status?.config.errors);
  if (!errors || errors.length === 0) return null;
  return (
    <section className="config-errors" aria-label="Configuration problems">
      <h2>Configuration problems (defaults in use)</h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.file}:${e.line}:${e.path}`}>
            {e.file}
            {e.line !== null ? `:${e.line}` : ''} {e.path}: {e.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function App({ api }: { api: MaiApi }) {
  const version = useResources((s) => s.status?.app.version);
  const personality = useResources((s) => s.status?.personality);
  const connected = useResources((s) => s.connected);
  const error = useResources((s) => s.error);
  const [view, setView] = useView();

  useEffect(() => connectStores(api), [api]);

  return (
    <ApiContext.Provider value={api}>
      <main className="app">
        <header className="app-header">
          <h1>Mai</h1>
          <div className="tabs" role="tablist" aria-label="Views">
            {tabs.map((tab) => (
              <button
                key={tab.view}
                type="button"
                role="tab"
                aria-selected={view === tab.view}
                data-testid={`tab-${tab.view}`}
                onClick={() => setView(tab.view)}
              >
                {tab.label}
              </button>
            ))}
          </div>
          <span className={`connection ${connected ? 'online' : 'offline'}`} data-testid="connection">
            {connected ? 'connected' : 'connecting…'}
          </span>
          {version && <span className="muted">v{version}</span>}
        </header>
        {personality && (
          <p className="personality muted" data-testid="personality">
            {personality}
          </p>
        )}
        {api.problem && (
          <p role="alert" className="error" data-testid="problem">
            {api.problem}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div role="tabpanel" aria-label={view === 'chat' ? 'Chat' : 'Dashboard'}>
          {view === 'chat' ? <Chat /> : <Dashboard />}
        </div>
        <ConfigErrors />
      </main>
    </ApiContext.Provider>
  );
}
