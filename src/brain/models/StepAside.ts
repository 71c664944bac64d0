/**
 * Stepping aside for a neighbour, at work (aside.ts decides). Under memory pressure that no relief step answers,
 * with another program taking memory fast, Mai moves to the smallest model that fits or unloads, and says which
 * program it made room for. Then it watches that program's own processes (a few stat reads every 5 s, and nothing
 * while it is not standing aside); once they have given back half of what they took and the model Mai left fits
 * again, it comes back to that model. Until then there is no upgrade: memory looks calm only because Mai left.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { Clock } from '../clock';
import type { ScalingThresholds } from '../config';
import type { Logger } from '../logger';
import type { Neighbour, NeighbourSource } from '../resources/PressureAttribution';
import { growthText } from '../resources/processGrowth';
import { fastNeighbour, hasReceded, smallestThatFits } from './aside';
import type { ModelActivator } from './ModelActivator';
import type { ActiveModel, ModelManager } from './ModelManager';
import { percentWith, undoFits } from './reliefNeed';
import { verdictCause, type ScalingDecision } from './scaler';

/**
 * How often the neighbour's processes are read while Mai stands aside: every 5 s. A program that closes gives its
 * memory back at once, and a person who closed it waits a few seconds at most. A stat read costs ~14 µs
 * (bench/monitor), so a browser's 50 processes read that often take 0.014 % of a core, within the monitor's budget.
 */
export const asideCheckMs = 5_000;

export interface StepAsideDeps {
  activator: ModelActivator;
  manager: ModelManager;
  neighbours: NeighbourSource;
  clock: Clock;
  logger: Logger;
  checkEveryMs?: number;
}

interface Standing {
  neighbour: Neighbour;
  /** The model Mai left, and the window it had, to come back to. */
  left: { key: string; contextLength: number };
  lastCheckMs: number;
}

export class StepAside {
  private standing: Standing | null = null;

  constructor(private readonly deps: StepAsideDeps) {}

  /** Whether Mai is standing aside for a program now. */
  get active(): boolean {
    return this.standing !== null;
  }

  /**
   * Steps aside when a neighbour grew fast; false where none did, or where Mai's model holds no memory here to give
   * (a model on a host, an instance the person loaded in LM Studio), and the usual switch down goes on.
   * `reliefNote` says why no cheaper step did.
   */
  async act(
    verdict: ScalingDecision,
    current: ActiveModel,
    catalog: readonly ModelListing[],
    sample: ResourceSample,
    reliefNote: string | null,
  ): Promise<boolean> {
    const trigger = verdict.trigger;
    if (verdict.action !== 'down' || (trigger !== 'sustained_memory' && trigger !== 'memory_trend')) return false;
    if (current.estimateRamBytes <= 0 || current.reused) return false;
    const nowMs = this.deps.clock.nowMs();
    const neighbour = fastNeighbour(this.deps.neighbours.neighbours(), nowMs);
    if (!neighbour) return false;

    // The pressure's words name the program with its growth already ("memory at 91 % (blender +6 GiB in 40 s) …").
    const pressure = verdictCause(verdict);
    const named = pressure.includes(neighbour.name) ? neighbour.name : growthText(neighbour, nowMs);
    const made = `made room for ${named}: ${pressure}${reliefNote ? `; ${reliefNote}` : ''}`;
    const until = `until ${neighbour.name} gives its memory back`;
    const figures = {
      ...verdict.figures,
      neighbourGrewBytes: neighbour.grewBytes,
      neighbourResidentBytes: neighbour.residentBytes,
    };
    const smallest = smallestThatFits({ catalog, sample, current, avoid: this.deps.manager.avoided() });
    // Standing aside already (at the smallest, and still pressed): the model to come back to stays the first one.
    const left = this.standing?.left ?? {
      key: current.key,
      contextLength: current.loadedContextLength ?? current.contextLength,
    };
    if (smallest) {
      await this.deps.activator.activate(smallest, {
        kind: 'aside',
        trigger,
        reason: `${made}; moved to the smallest model that fits, ${smallest.key}, ${until}`,
        figures,
      });
    } else {
      await this.deps.activator.release({
        kind: 'aside',
        trigger,
        reason: `${made}; no smaller model fits, so ${current.key} is unloaded ${until}`,
        figures,
      });
    }
    this.standing = { neighbour, left, lastCheckMs: nowMs };
    return true;
  }

  /**
   * While standing aside: back to the model Mai left, once the neighbour has receded and that model fits with the
   * relief ladder's margin. Resolves with the model it came back to, or null while it keeps standing aside.
   */
  async comeBack(
    sample: ResourceSample,
    thresholds: ScalingThresholds,
    listCatalog: () => Promise<ModelListing[]>,
  ): Promise<ActiveModel | null> {
    const standing = this.standing;
    const nowMs = this.deps.clock.nowMs();
    if (!standing || nowMs - standing.lastCheckMs < (this.deps.checkEveryMs ?? asideCheckMs)) return null;
    standing.lastCheckMs = nowMs;
    const { neighbour, left } = standing;
    const holdsBytes = this.deps.neighbours.residentBytes(neighbour.processes);
    if (!hasReceded(neighbour, holdsBytes)) return null;
    const entry = (await listCatalog()).find((m) => m.key === left.key);
    if (!entry?.estimate) {
      // The model is gone (its file removed, its engine away): nothing to come back to; selection goes on as usual.
      this.standing = null;
      this.deps.logger.info('aside: the model left is no longer listed', { key: left.key });
      return null;
    }
    const addedBytes = entry.estimate.ramBytes - (this.deps.manager.current()?.estimateRamBytes ?? 0);
    if (!undoFits(sample, thresholds.memoryPercent, addedBytes)) {
      this.deps.logger.info('aside: the neighbour receded, the model does not fit yet', {
        key: left.key,
        percentWith: percentWith(sample, addedBytes),
      });
      return null;
    }
    this.standing = null;
    const receded =
      holdsBytes === 0
        ? `${neighbour.name} has closed`
        : `${neighbour.name} gave back ${formatBytes(neighbour.residentBytes - holdsBytes)}`;
    return this.deps.activator.activate(entry, {
      kind: 'switch',
      trigger: 'neighbour_receded',
      reason: `${receded} (memory at ${sample.memory.usedPercent.toFixed(0)} %): back to ${left.key}`,
      contextLength: left.contextLength,
      figures: { neighbourResidentBytes: holdsBytes, memoryUsedPercent: sample.memory.usedPercent },
    });
  }
}
