import type { Engine, EngineModel } from '../lmstudio-server/engine';
import type { OllamaModel } from './catalog';

/** Ollama's default keep-alive: a model stays loaded 5 minutes after its last request (docs/api.md). */
export const defaultKeepAliveMs = 5 * 60_000;

const goDurationUnitsMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * `keep_alive` as Ollama reads it (api.Duration): a number is seconds, a string a Go duration ("5m", "1h30m", "0");
 * anything negative keeps the model loaded for good (null here). Undefined: the default. Throws for nonsense, which
 * Ollama answers with 400.
 */
export function keepAliveMs(value: unknown): number | null {
  if (value === undefined || value === null) return defaultKeepAliveMs;
  if (typeof value === 'number') return value < 0 ? null : value * 1000;
  if (typeof value !== 'string') throw new Error(`invalid keep_alive ${JSON.stringify(value)}`);
  if (value === '0') return 0;
  const match = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(value);
  if (!match) throw new Error(`time: invalid duration "${value}"`);
  let totalMs = 0;
  for (const [, amount, unit] of (match[2] ?? '').matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    totalMs += Number(amount) * (goDurationUnitsMs[unit ?? 's'] ?? 1000);
  }
  return match[1] === '-' ? null : totalMs;
}

export interface Runner {
  model: OllamaModel;
  engineModel: EngineModel;
  contextLength: number;
  /** null: loaded until asked to unload (a negative keep_alive). */
  expiresAt: Date | null;
  timer: NodeJS.Timeout | null;
}

/** The models an Ollama-compatible server holds, loaded on demand and unloaded when their keep-alive runs out. */
export class Runners {
  private readonly running = new Map<string, Runner>();
  private readonly loading = new Map<string, Promise<Runner>>();
  /** Every load, in order: tests count "no second load" here. */
  readonly loads: { name: string; contextLength: number }[] = [];

  constructor(private readonly engine: Engine) {}

  all(): Runner[] {
    return [...this.running.values()];
  }

  get(name: string): Runner | undefined {
    return this.running.get(name);
  }

  /**
   * The model loaded with this context: reused when it already is, reloaded when the context differs (Ollama reloads
   * when num_ctx changes). Resolves with how long the load took, 0 for a reuse.
   */
  async ensure(model: OllamaModel, contextLength: number): Promise<{ runner: Runner; loadMs: number }> {
    const running = this.running.get(model.name);
    if (running && running.contextLength === contextLength) return { runner: running, loadMs: 0 };
    const startedMs = performance.now();
    let loading = this.loading.get(model.name);
    if (!loading) {
      loading = (async () => {
        if (running) await this.unload(model.name);
        const engineModel = await this.engine.load({
          filePath: model.filePath,
          contextLength,
          onProgress: () => {},
          signal: new AbortController().signal,
        });
        const runner = { model, engineModel, contextLength, expiresAt: null, timer: null };
        this.running.set(model.name, runner);
        this.loads.push({ name: model.name, contextLength });
        return runner;
      })().finally(() => this.loading.delete(model.name));
      this.loading.set(model.name, loading);
    }
    const runner = await loading;
    return { runner, loadMs: performance.now() - startedMs };
  }

  /** Re-arms the keep-alive after a request: 0 unloads now, null keeps it loaded for good. */
  keepAlive(runner: Runner, ms: number | null): void {
    if (runner.timer) clearTimeout(runner.timer);
    runner.timer = null;
    if (ms === 0) {
      void this.unload(runner.model.name);
      return;
    }
    runner.expiresAt = ms === null ? null : new Date(Date.now() + ms);
    if (ms === null) return;
    runner.timer = setTimeout(() => void this.unload(runner.model.name), ms);
    // A keep-alive must not hold a test process open after the server closed.
    runner.timer.unref();
  }

  async unload(name: string): Promise<void> {
    const runner = this.running.get(name);
    if (!runner) return;
    this.running.delete(name);
    if (runner.timer) clearTimeout(runner.timer);
    await runner.engineModel.unload();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    await Promise.allSettled([...this.running.keys()].map((name) => this.unload(name)));
  }
}
