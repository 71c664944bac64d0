/** Hardware tiers: which class of machine Mai runs on, and what that means for models and scaling. */
export {
  classifyTier,
  ramReportingAllowanceFraction,
  unifiedMemoryGpuFraction,
  type TierClassification,
} from './classifyTier';
export type { HardwareInventory, HardwareGpu } from './inventory';
export { TierDetector, type InventoryReader } from './TierDetector';
