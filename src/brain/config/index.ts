/** Configuration: shipped YAML defaults with the user's overrides, validated, with errors naming file/line/field. */
export { ConfigError, formatConfigError, type ConfigErrorInfo } from './ConfigError';
export { loadConfig, modelsFileName, tiersFileName, type ConfigLocations, type LoadedConfig } from './loadConfig';
export { hostsFileName, parseHostsYaml, type LoadedHosts } from './hostsConfig';
export { hostKinds, type HostEntry, type HostKind, type HostsConfig } from './hostsSchema';
export { layerModelsYaml, parseModelsYaml } from './modelsConfig';
export {
  categoryRank,
  hasDownload,
  modelCapabilities,
  modelCategories,
  type ModelCapability,
  type DownloadableEntry,
  type ModelCategory,
  type ModelEntry,
  type ModelsConfig,
} from './modelsSchema';
export { resolveMaiHome, shippedConfigDir, userConfigDir, type Env } from './paths';
export { layerTiersYaml, parseTiersYaml } from './tiersConfig';
export {
  tierNames,
  type OnBatterySpec,
  type ScalingThresholds,
  type TierName,
  type TierSpec,
  type TiersConfig,
} from './tiersSchema';
export { bytesPerGib, formatGib, gibToBytes } from './units';
export type { LayeredConfig } from './layered';
export type { ConfigText } from './yamlSource';
