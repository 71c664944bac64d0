import { layerConfig, parseConfigText, type ConfigKind, type LayeredConfig, type MergedData } from './layered';
import { TiersConfigSchema, type TiersConfig } from './tiersSchema';
import type { ConfigText } from './yamlSource';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mappings merge key by key, all the way down; anything else in the override (lists, scalars, null) replaces. */
export function deepMerge(defaults: unknown, override: unknown): unknown {
  if (!isRecord(defaults) || !isRecord(override)) return override;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(defaults[key], value);
  return merged;
}

/** Tiers merge per name, field by field, so the merged data has the user file's own paths. */
function mergeTiersData(defaults: unknown, override: unknown): MergedData {
  return { data: deepMerge(defaults, override), toOverridePath: (path) => path };
}

export const tiersConfigKind: ConfigKind<TiersConfig> = { schema: TiersConfigSchema, merge: mergeTiersData };

/** Parses a complete resource_tiers.yaml; problems throw a ConfigError naming file, line, field and value. */
export function parseTiersYaml(text: string, file: string): TiersConfig {
  return parseConfigText(tiersConfigKind, { text, file });
}

/** Shipped resource_tiers.yaml with the user's over it; a broken user file gives the defaults plus its errors. */
export function layerTiersYaml(defaults: ConfigText, override: ConfigText | null): LayeredConfig<TiersConfig> {
  return layerConfig(tiersConfigKind, defaults, override);
}
