import { formatBytes } from '../../shared/format';
import type { MemoryEstimate } from '../backends/estimate';
import type { Measurement } from './measurementStore';

/**
 * A model's figure at a context, from what its last load really took: the measurement, moved by what the estimate
 * says changes between the measured context and this one (the KV cache grows with every token; the compute
 * buffers a little). VRAM likewise where it was measured; the estimate's VRAM otherwise. Pure.
 */
export function withMeasurement(
  estimate: MemoryEstimate,
  atMeasuredContext: MemoryEstimate,
  measurement: Measurement,
): MemoryEstimate {
  const ramBytes = Math.max(0, measurement.ramBytes + estimate.ramBytes - atMeasuredContext.ramBytes);
  const vramBytes =
    measurement.vramBytes === null
      ? estimate.vramBytes
      : Math.max(0, measurement.vramBytes + estimate.vramBytes - atMeasuredContext.vramBytes);
  return {
    ...estimate,
    ramBytes: Math.round(ramBytes),
    vramBytes: Math.round(vramBytes),
    method: 'measured',
    note: measurementNote(measurement),
  };
}

/** "measured 2.1 GiB at its last load (4,096 tokens)", for a person: where the figure came from. */
export function measurementNote(measurement: Measurement): string {
  const vram = measurement.vramBytes ? ` + ${formatBytes(measurement.vramBytes)} VRAM` : '';
  const bound = measurement.quality === 'mapped' ? ', every mapped page counted until it answers' : '';
  return (
    `measured ${formatBytes(measurement.ramBytes)}${vram} at its last load ` +
    `(${measurement.contextLength.toLocaleString('en-US')} tokens${bound})`
  );
}
