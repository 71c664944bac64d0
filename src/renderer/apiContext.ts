import { createContext, useContext } from 'react';
import type { MaiApi } from './api';

/** The api client for components below App; tests provide a fake one. */
export const ApiContext = createContext<MaiApi | null>(null);

export function useApi(): MaiApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}
