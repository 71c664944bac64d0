import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { HostSampler, ResourceReadingWithoutGpus } from './sampler';

/** What a scripted pressure file may set; everything else stays the machine's real reading. */
const OverlaySchema = z.object({ memoryUsedPercent: z.number().min(0).max(100).optional() }).strict();

/**
 * The real sampler with memory pressure taken from a file, re-read at every sample: how end-to-end tests (and a
 * person trying Mai out) drive the scaler through a real `mai serve` without filling the machine's RAM. The
 * policy, the models and the loads stay real; only the memory figure is scripted. A missing or broken file leaves
 * the real reading untouched.
 */
export class OverlayHostSampler implements HostSampler {
  constructor(
    private readonly real: HostSampler,
    private readonly overlayFile: string,
  ) {}

  private overlay(): z.infer<typeof OverlaySchema> {
    try {
      return OverlaySchema.parse(JSON.parse(readFileSync(this.overlayFile, 'utf8')));
    } catch {
      return {};
    }
  }

  read(): ResourceReadingWithoutGpus {
    const reading = this.real.read();
    const { memoryUsedPercent } = this.overlay();
    if (memoryUsedPercent === undefined) return reading;
    const { totalBytes } = reading.memory;
    return {
      ...reading,
      memory: {
        ...reading.memory,
        usedPercent: memoryUsedPercent,
        availableBytes: Math.round(totalBytes * (1 - memoryUsedPercent / 100)),
      },
    };
  }

  close(): void {
    this.real.close();
  }
}
