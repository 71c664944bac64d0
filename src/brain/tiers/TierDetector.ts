import { tierNames, type ModelCategory, type ScalingThresholds, type TierSpec, type TiersConfig } from '../config';
import { classifyTier, type TierClassification } from './classifyTier';
import type { HardwareInventory } from './inventory';

/** Reads the static inventory (systeminformation takes a while, so it may be async). */
export type InventoryReader = () => HardwareInventory | Promise<HardwareInventory>;

/**
 * Knows the machine's tier once its inventory has been read, and answers the tier's policy questions. Until the
 * first detection the answers are the lowest tier's: small models and early scaling cannot overrun a machine
 * Mai knows nothing about yet.
 */
export class TierDetector {
  private current: TierClassification | null = null;

  constructor(
    private readonly tiers: TiersConfig,
    private readonly readInventory: InventoryReader,
  ) {}

  /** Reads the inventory and classifies it. A failed read rejects and leaves the previous answer in place. */
  async detectCurrentTier(): Promise<TierClassification> {
    const inventory = await this.readInventory();
    this.current = classifyTier(inventory, this.tiers);
    return this.current;
  }

  /** The last classification, or null before the first one (status shows `tier: null` then). */
  currentTier(): TierClassification | null {
    return this.current;
  }

  private spec(): TierSpec {
    return this.tiers[this.current?.name ?? tierNames[0]];
  }

  /** Model categories the tier prefers, most preferred first. */
  preferredCategories(): readonly ModelCategory[] {
    return this.spec().preferredCategories;
  }

  /** Sustained memory or CPU use above these makes the scaler look for a lighter model. */
  scalingThresholds(): ScalingThresholds {
    return this.spec().scalingThresholds;
  }
}
