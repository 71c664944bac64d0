import { useEffect } from 'react';
import type { MaiApi } from './api';
import { Dashboard } from './features/dashboard/Dashboard';
import { useResources } from './store';

export function App({ api }: { api: MaiApi }) {
  const status = useResources((s) => s.status);
  const connected = useResources((s) => s.connected);
  const error = useResources((s) => s.error);

  useEffect(() => {
    const { setStatus, addSample, setConnected, setError } = useResources.getState();
    const offSample = api.on('resources.sample', (sample) => addSample(sample));
    const offConnection = api.onConnectionChange((isConnected) => {
      setConnected(isConnected);
      if (!isConnected) return;
      void api.invoke('status.get', {}).then((result) => {
        if (result.ok) {
          setStatus(result.value);
          setError(null);
        } else setError(result.error.message);
      });
    });
    return () => {
      offSample();
      offConnection();
    };
  }, [api]);

  return (
    <main className="app">
      <header className="app-header">
        <h1>Mai</h1>
        <span className={`connection ${connected ? 'online' : 'offline'}`} data-testid="connection">
          {connected ? 'connected' : 'connecting…'}
        </span>
        {status && <span className="muted">v{status.app.version}</span>}
      </header>
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
      <Dashboard />
      {status && status.config.errors.length > 0 && (
        <section className="config-errors" aria-label="Configuration problems">
          <h2>Configuration problems (defaults in use)</h2>
          <ul>
            {status.config.errors.map((e) => (
              <li key={`${e.file}:${e.line}:${e.path}`}>
                {e.file}
                {e.line !== null ? `:${e.line}` : ''} {e.path}: {e.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
