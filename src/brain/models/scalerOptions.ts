/** The scaler's timings and bands, each with the reason for its default. */
export interface ScalerOptions {
  /**
   * How long memory or CPU must stay above its threshold before Mai switches down: 10 s. A tab opening, a GC or a
   * compile step spikes for a few seconds and goes; ten 1 Hz samples in a row above the line is pressure that stays.
   * Any longer and a 2-4 GiB machine can run out first (the trend rule catches fast climbs sooner).
   */
  sustainedMs: number;
  /**
   * How far ahead the memory trend may see a crossing and act on it: 60 s. A switch (unload + load a smaller model)
   * takes 5-60 s; starting it a minute before the crossing lets it finish before the threshold is reached.
   */
  trendHorizonMs: number;
  /** Window the memory line is fitted over: the last 60 s, so a load minutes ago does not bend today's line. */
  trendWindowMs: number;
  /**
   * Least fit quality for acting on a projection: R² ≥ 0.8, i.e. a straight line explains 80 % of the movement.
   * That is a steady climb (a leak, a growing build); below it the "slope" is mostly jitter and the crossing a guess.
   */
  trendMinR2: number;
  /** Fewest points for a trend: 10 (ten seconds at 1 Hz). R² over a handful of points is high by chance. */
  trendMinSamples: number;
  /**
   * Generation slower than this share of the model's usual tokens/s switches down: 50 %. Speed moves ±20-30 % with
   * prompt length, context fill and thermals; at half speed something structural happened (layers spilled to the
   * CPU, the system swapping, another program on the GPU), and a smaller model answers sooner.
   */
  slowGenerationRatio: number;
  /**
   * Pressure must fall this many points below each threshold before an upgrade: 15. A bigger model adds memory use
   * of its own, and a browser tab moves memory by ~5 points; a band narrower than both would let the upgrade itself
   * push memory back over the threshold, then down again: flapping. 15 points is 2.4 GiB of 16 GiB.
   */
  upBandPoints: number;
  /**
   * How long pressure must stay below the band before an upgrade: 120 s, twelve times the way down. Going down
   * protects the machine and cannot wait; going up is a comfort, and two calm minutes show the other program's burst
   * (a build, a game loading a level) is over rather than pausing.
   */
  upSustainedMs: number;
  /**
   * Quiet time after any switch (failures excepted): 60 s. A switch takes 5-60 s and its load moves memory itself;
   * reading pressure right after it measures the switch, and a person should not see models churn more than once a
   * minute.
   */
  cooldownMs: number;
  /**
   * Largest gap between two samples that still counts as "all the while": 5 s. At 1 Hz a longer gap means the
   * monitor stalled, and nobody saw what memory did in between.
   */
  maxSampleGapMs: number;
}

export const defaultScalerOptions: ScalerOptions = {
  sustainedMs: 10_000,
  trendHorizonMs: 60_000,
  trendWindowMs: 60_000,
  trendMinR2: 0.8,
  trendMinSamples: 10,
  slowGenerationRatio: 0.5,
  upBandPoints: 15,
  upSustainedMs: 120_000,
  cooldownMs: 60_000,
  maxSampleGapMs: 5_000,
};
