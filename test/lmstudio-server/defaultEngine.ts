import type { Engine } from './engine';
import { embeddedEngine } from './embeddedEngine';

/** The engine a server gets when the test names none: Mai's embedded engine on one thread. */
export function defaultEngine(modelsDir: string): Engine {
  return embeddedEngine(modelsDir, 1);
}
