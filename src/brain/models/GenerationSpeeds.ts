import type { ResponseStats } from '../backends/ModelBackend';

/** Answers shorter than this say little about speed: prompt processing dominates their time. */
const minTokensForSpeed = 16;

/**
 * Each model's usual tokens/s, for the scaler's slow-generation trigger. The first answer of a model sets its usual
 * speed; each later one waits (`pending`) until the scaler has compared it with the usual speed once, then folds in
 * with weight 0.2: a few answers settle the figure, one odd answer does not move it much.
 */
export class GenerationSpeeds {
  private readonly speeds = new Map<string, { usualTokensPerSecond: number; pendingTokensPerSecond: number | null }>();

  record(key: string, stats: ResponseStats): void {
    if (stats.tokensPerSecond === null || stats.predictedTokens < minTokensForSpeed) return;
    const previous = this.speeds.get(key);
    this.speeds.set(
      key,
      previous
        ? { usualTokensPerSecond: previous.usualTokensPerSecond, pendingTokensPerSecond: stats.tokensPerSecond }
        : { usualTokensPerSecond: stats.tokensPerSecond, pendingTokensPerSecond: null },
    );
  }

  /** The model's usual tokens/s, or null before its first measured answer (what a struggling answer is held to). */
  usual(key: string): number | null {
    return this.speeds.get(key)?.usualTokensPerSecond ?? null;
  }

  /** The latest answer's speed against the usual one, once; afterwards it is part of the usual speed. */
  take(key: string): { tokensPerSecond: number; usualTokensPerSecond: number } | undefined {
    const speed = this.speeds.get(key);
    if (!speed || speed.pendingTokensPerSecond === null) return undefined;
    const { usualTokensPerSecond, pendingTokensPerSecond } = speed;
    this.speeds.set(key, {
      usualTokensPerSecond: 0.8 * usualTokensPerSecond + 0.2 * pendingTokensPerSecond,
      pendingTokensPerSecond: null,
    });
    return { tokensPerSecond: pendingTokensPerSecond, usualTokensPerSecond };
  }
}
