import type { ConfigPath } from './issues';
import { layerConfig, parseConfigText, type ConfigKind, type LayeredConfig, type MergedData } from './layered';
import { ModelsConfigSchema, type ModelsConfig } from './modelsSchema';
import type { ConfigText } from './yamlSource';

type PlainRecord = Record<string, unknown>;

function isRecord(value: unknown): value is PlainRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(entry: unknown): string | undefined {
  return isRecord(entry) && typeof entry.key === 'string' ? entry.key : undefined;
}

/**
 * A user's models merge by key: an entry whose key is shipped replaces the fields it gives (lists included, whole),
 * an entry with a new key is appended. If the user repeats a key, the later entry's fields win. Chains merge by
 * name, each user chain replacing the shipped one. A `models:` or `fallback_chains:` left empty changes nothing.
 */
export function mergeModelsData(defaults: unknown, override: unknown): MergedData {
  if (!isRecord(defaults) || !isRecord(override) || !Array.isArray(defaults.models)) {
    return { data: override, toOverridePath: (path) => path };
  }
  const data: PlainRecord = { ...defaults, ...override };
  if (override.models === null || override.models === undefined) data.models = defaults.models;
  if (override.fallback_chains === null || override.fallback_chains === undefined) {
    data.fallback_chains = defaults.fallback_chains;
  } else if (isRecord(defaults.fallback_chains) && isRecord(override.fallback_chains)) {
    data.fallback_chains = { ...defaults.fallback_chains, ...override.fallback_chains };
  }
  // For each merged entry, the index of the user's entry that last touched it (null: shipped, untouched).
  const origins: (number | null)[] = defaults.models.map(() => null);
  if (Array.isArray(override.models)) {
    const models: unknown[] = [...defaults.models];
    override.models.forEach((entry: unknown, userIndex) => {
      const key = keyOf(entry);
      const index = key === undefined ? -1 : models.findIndex((model) => keyOf(model) === key);
      if (index === -1 || !isRecord(entry)) {
        models.push(entry);
        origins.push(userIndex);
      } else {
        models[index] = { ...(models[index] as PlainRecord), ...entry };
        origins[index] = userIndex;
      }
    });
    data.models = models;
  }
  const toOverridePath = (path: ConfigPath): ConfigPath | null => {
    const [top, index, ...rest] = path;
    if (top !== 'models' || typeof index !== 'number' || !Array.isArray(override.models)) return path;
    const origin = origins[index];
    return origin === null || origin === undefined ? null : ['models', origin, ...rest];
  };
  return { data, toOverridePath };
}

export const modelsConfigKind: ConfigKind<ModelsConfig> = { schema: ModelsConfigSchema, merge: mergeModelsData };

/** Parses a complete models.yaml; problems throw a ConfigError naming file, line, field and value. */
export function parseModelsYaml(text: string, file: string): ModelsConfig {
  return parseConfigText(modelsConfigKind, { text, file });
}

/** Shipped models.yaml with the user's over it; a broken user file gives the defaults plus its errors. */
export function layerModelsYaml(defaults: ConfigText, override: ConfigText | null): LayeredConfig<ModelsConfig> {
  return layerConfig(modelsConfigKind, defaults, override);
}
