/**
 * A model struggling in the middle of an answer: far slower than it usually writes for several seconds, or caught
 * repeating itself. The answer pipeline stops such a model and hands what it wrote to the next one. The rules are
 * pure (`slowness`, `repeatedTail`); StruggleWatch holds one answer's fragments and asks them.
 */
import type { Clock } from '../clock';
import { defaultRepetitionOptions, repeatedTail, type RepetitionOptions } from './repetition';

export interface StruggleOptions {
  /**
   * How long the speed is measured over before it counts: 5 s ("several seconds"). A GC pause, a burst of prompt
   * cache misses or another program's spike slows one second; five in a row is the model, or the machine under it.
   */
  slowWindowMs: number;
  /**
   * Slower than this share of the model's usual tokens/s is struggling: 25 %. The scaler switches down after a whole
   * answer at half speed; stopping mid-answer costs a model load, so it takes a clearer case: speed moves ±30 % with
   * context fill and thermals, never fourfold.
   */
  slowRatio: number;
  repetition: RepetitionOptions;
}

export const defaultStruggleOptions: StruggleOptions = {
  slowWindowMs: 5_000,
  slowRatio: 0.25,
  repetition: defaultRepetitionOptions,
};

export type Struggle =
  | { kind: 'slow'; tokensPerSecond: number; usualTokensPerSecond: number; reason: string }
  | { kind: 'repetition'; span: string; keepChars: number; reason: string };

export interface SpeedReadings {
  /** When the first fragment came; null before it. */
  firstFragmentMs: number | null;
  /** When each fragment came (at least those of the last window). */
  fragmentTimesMs: readonly number[];
  nowMs: number;
  /** The model's usual speed (GenerationSpeeds); null for a model not measured yet, which is never called slow. */
  usualTokensPerSecond: number | null;
}

/**
 * The speed over the last window, when it is far below the usual one. Each fragment counts as a token: LM Studio
 * streams one token a fragment, node-llama-cpp one chunk a decoded token (holding back only a split character). No
 * verdict before the first fragment (prompt processing is not generation) or before a whole window of streaming.
 */
export function slowness(
  readings: SpeedReadings,
  options: Pick<StruggleOptions, 'slowWindowMs' | 'slowRatio'> = defaultStruggleOptions,
): Extract<Struggle, { kind: 'slow' }> | null {
  const { firstFragmentMs, nowMs, usualTokensPerSecond: usual } = readings;
  if (usual === null || usual <= 0 || firstFragmentMs === null) return null;
  if (nowMs - firstFragmentMs < options.slowWindowMs) return null;
  const since = nowMs - options.slowWindowMs;
  const recent = readings.fragmentTimesMs.filter((atMs) => atMs > since && atMs <= nowMs).length;
  const tokensPerSecond = recent / (options.slowWindowMs / 1000);
  if (tokensPerSecond >= options.slowRatio * usual) return null;
  const share = Math.round((tokensPerSecond / usual) * 100);
  const seconds = Math.round(options.slowWindowMs / 1000);
  return {
    kind: 'slow',
    tokensPerSecond,
    usualTokensPerSecond: usual,
    reason: `it slowed to ${tokensPerSecond.toFixed(1)} tokens/s for ${seconds} s, ${share} % of its usual ${usual.toFixed(1)}`,
  };
}

/** One answer's fragments, watched; `onStruggle` is told once, at the first sign. */
export class StruggleWatch {
  private text = '';
  /** Fragment times (the last window's once checked), and the first one's: how long the answer has streamed. */
  private times: number[] = [];
  private firstMs: number | null = null;
  private found: Struggle | null = null;
  private readonly options: StruggleOptions;

  constructor(
    private readonly deps: {
      clock: Clock;
      usualTokensPerSecond: number | null;
      onStruggle: (struggle: Struggle) => void;
      options?: Partial<StruggleOptions>;
    },
  ) {
    this.options = { ...defaultStruggleOptions, ...deps.options };
  }

  get struggle(): Struggle | null {
    return this.found;
  }

  fragment(text: string): void {
    const nowMs = this.deps.clock.monotonicMs();
    this.firstMs ??= nowMs;
    this.times.push(nowMs);
    this.text += text;
    const loop = repeatedTail(this.text, this.options.repetition);
    if (loop) {
      const shown = loop.span.trim().length > 60 ? `${loop.span.trim().slice(0, 57)}…` : loop.span.trim();
      this.report({
        kind: 'repetition',
        ...loop,
        reason: `it repeated itself: "${shown}" ${this.options.repetition.repeats} times in a row`,
      });
    }
  }

  /** Asks the speed rule; run once a second, since a model that writes nothing sends no fragment to check on. */
  check(): void {
    const nowMs = this.deps.clock.monotonicMs();
    const since = nowMs - this.options.slowWindowMs;
    // Only the last window is read: older times go, so a long answer keeps a short list.
    while ((this.times[0] ?? Infinity) <= since) this.times.shift();
    const slow = slowness(
      {
        firstFragmentMs: this.firstMs,
        fragmentTimesMs: this.times,
        nowMs,
        usualTokensPerSecond: this.deps.usualTokensPerSecond,
      },
      this.options,
    );
    if (slow) this.report(slow);
  }

  private report(struggle: Struggle): void {
    if (this.found) return;
    this.found = struggle;
    this.deps.onStruggle(struggle);
  }
}
