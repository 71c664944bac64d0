import { useCallback, useEffect, useState } from 'react';

export type View = 'chat' | 'dashboard';

/**
 * The view lives in the URL hash beside the web bridge's token (`#token=…&view=chat`), so a reload or the tray's
 * "Dashboard" item lands on the right tab; the token is kept as it is.
 */
function readView(): View {
  return new URLSearchParams(window.location.hash.slice(1)).get('view') === 'chat' ? 'chat' : 'dashboard';
}

export function useView(): [View, (view: View) => void] {
  const [view, setViewState] = useState<View>(readView);
  useEffect(() => {
    const onHashChange = () => setViewState(readView());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const setView = useCallback((next: View) => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    params.set('view', next);
    history.replaceState(null, '', `#${params.toString()}`);
    setViewState(next);
  }, []);
  return [view, setView];
}
