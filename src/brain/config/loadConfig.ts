import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { hostsFileName, parseHostsYaml } from './hostsConfig';
import type { HostsConfig } from './hostsSchema';
import { layerModelsYaml } from './modelsConfig';
import type { ModelsConfig } from './modelsSchema';
import { layerTiersYaml } from './tiersConfig';
import type { TiersConfig } from './tiersSchema';
import type { ConfigText } from './yamlSource';

export const modelsFileName = 'models.yaml';
export const tiersFileName = 'resource_tiers.yaml';

export interface ConfigLocations {
  /** The shipped defaults (see shippedConfigDir). */
  defaultsDir: string;
  /** The user's overrides, `$MAI_HOME/config` (see userConfigDir); null reads none. */
  userDir: string | null;
}

export interface LoadedConfig {
  models: ModelsConfig;
  tiers: TiersConfig;
  /** Other machines whose engines Mai may use (`$MAI_HOME/config/hosts.yaml`, a user file only: none ships). */
  hosts: HostsConfig;
  /** Problems in the user's files, for status to show; each broken file was replaced by its defaults. */
  errors: ConfigErrorInfo[];
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function unreadable(file: string, error: unknown): ConfigError {
  const reason = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new ConfigError([{ file, line: null, path: '', message: `cannot be read (${reason})` }]);
}

/** A shipped file must exist: without it Mai is broken, not misconfigured. */
function readDefaults(file: string): ConfigText {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw unreadable(file, error);
  }
}

/** A user file is optional: a missing one overrides nothing, an unreadable one is reported. */
function readOverride(file: string, errors: ConfigErrorInfo[]): ConfigText | null {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') errors.push(...unreadable(file, error).errors);
    return null;
  }
}

/**
 * Reads the shipped models.yaml and resource_tiers.yaml and lays the user's files over them, and the user's
 * hosts.yaml. Synchronous: it runs once at start, before anything else needs the answer. Throws ConfigError only
 * for broken shipped files.
 */
export function loadConfig({ defaultsDir, userDir }: ConfigLocations): LoadedConfig {
  const errors: ConfigErrorInfo[] = [];
  const override = (name: string) => (userDir === null ? null : readOverride(path.join(userDir, name), errors));
  const models = layerModelsYaml(readDefaults(path.join(defaultsDir, modelsFileName)), override(modelsFileName));
  const tiers = layerTiersYaml(readDefaults(path.join(defaultsDir, tiersFileName)), override(tiersFileName));
  const hostsText = override(hostsFileName);
  const hosts = hostsText === null ? { hosts: [], errors: [] } : parseHostsYaml(hostsText);
  return {
    models: models.value,
    tiers: tiers.value,
    hosts: hosts.hosts,
    errors: [...errors, ...models.errors, ...tiers.errors, ...hosts.errors],
  };
}
