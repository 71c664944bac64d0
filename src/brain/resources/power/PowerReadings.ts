import type { PowerState } from '../../../shared/contract';
import type { PowerSampler } from '../sampler';

export interface PowerReadingsOptions {
  power: PowerSampler;
  /**
   * How often to read: 30 s. Charge falls about 1 % a minute on a laptop under load (a 50 Wh battery at 30 W), so a
   * reading is at most half a point behind; a pulled cable shows within 30 s, sooner than a person expects a model to
   * change; and pmset or PowerShell (20-300 ms a spawn on macOS and Windows) every 30 s costs under 1 % of a core.
   */
  intervalMs?: number;
  /** A read slower than this gives way to the last reading (pmset stuck must not hold up the 1 Hz figures). */
  readTimeoutMs: number;
  onError?: (error: unknown) => void;
}

export const defaultPowerIntervalMs = 30_000;

/** The monitor's power side: a fresh reading when one is due, the last one in between. */
export class PowerReadings {
  private latest: PowerState | undefined;
  private readAtMs = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private readonly intervalMs: number;

  constructor(private readonly options: PowerReadingsOptions) {
    this.intervalMs = options.intervalMs ?? defaultPowerIntervalMs;
  }

  /** The power state for a sample at `monotonicMs`; `force` reads now whatever the pace (after a sleep). */
  async current(monotonicMs: number, force = false): Promise<PowerState | undefined> {
    if ((force || monotonicMs - this.readAtMs >= this.intervalMs) && !this.inFlight) {
      this.readAtMs = monotonicMs;
      this.inFlight = Promise.resolve()
        .then(() => this.options.power.read())
        .then(
          (state) => {
            this.latest = state;
          },
          (error: unknown) => this.options.onError?.(error),
        )
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    if (this.inFlight) await this.untilSettledOr(this.inFlight, this.options.readTimeoutMs);
    return this.latest;
  }

  close(): void {
    this.options.power.close();
  }

  private untilSettledOr(promise: Promise<void>, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
      void promise.finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
