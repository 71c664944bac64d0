/**
 * What of the machine is Mai's, wired for the brain: the engine processes counted as Mai's CPU (a local LM Studio
 * while Mai answers through it), the current model's memory for the memory split, and the attribution of
 * pressure to other programs, all on one process table.
 */
import type { BackendId, ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import type { ScalingThresholds } from '../config';
import { EngineProcesses } from './engineProcesses';
import {
  PressureAttribution,
  type AttributionOptions,
  type NeighbourSource,
  type PressureCauses,
} from './PressureAttribution';
import { ProcessTable } from './processTable';
import type { ModelMemory } from './ResourceMonitor';

/** The model Mai answers with, as far as its memory goes. */
export interface CurrentModel {
  backend: BackendId;
  estimateRamBytes: number;
}

export interface OwnUsage {
  table: ProcessTable;
  /** The processes whose CPU counts as Mai's, besides its own. */
  enginePids: () => readonly number[];
  modelMemory: () => ModelMemory | null;
  observe: (sample: ResourceSample) => void;
  causes: () => PressureCauses;
  /** One cause in words for the status line, or null. */
  cause: (sample: ResourceSample | undefined) => string | null;
  /** The programs taking memory, and what their processes hold now: for stepping aside. */
  neighbours: NeighbourSource;
}

export function createOwnUsage(deps: {
  current: () => CurrentModel | null;
  thresholds: () => ScalingThresholds;
  clock: Clock;
  table?: ProcessTable;
  attribution?: Partial<AttributionOptions>;
}): OwnUsage {
  const table = deps.table ?? new ProcessTable();
  const engines = new EngineProcesses(table);
  const enginePids = () => (deps.current()?.backend === 'lmstudio' ? engines.lmStudio() : []);
  const attribution = new PressureAttribution({
    table,
    clock: deps.clock,
    thresholds: deps.thresholds,
    excludedPids: enginePids,
    ...(deps.attribution ? { options: deps.attribution } : {}),
  });
  return {
    table,
    enginePids,
    modelMemory: () => {
      const current = deps.current();
      // A model on another host costs this machine nothing (its estimate here is 0): no part of the bar.
      if (!current || current.estimateRamBytes <= 0) return null;
      return { bytes: current.estimateRamBytes, in: current.backend === 'embedded' ? 'mai' : 'other' };
    },
    observe: (sample) => attribution.observe(sample),
    causes: () => attribution.causes(),
    cause: (sample) => attribution.cause(sample),
    neighbours: attribution,
  };
}
